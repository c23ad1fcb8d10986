"""The words the rules reader and the promise parser read: normalisation, numbers and cue phrases.

Everything here is data plus pure helpers, so a reviewer can read the vocabulary in one place.
Phrases are matched against `normalize(text)`: lowercase, no accents, typos fixed, punctuation
reduced to " , " clause marks (numbers such as 1/2, 3.5k, $3,500 and 1" keep theirs).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.locale import fold_accents
from graph.understanding.spelling import correct
from tools.catalog.text import spell_sizes

# --- normalisation --------------------------------------------------------------------

# Emoji customers use as whole answers on WhatsApp.
EMOJI = {"👍": " ok ", "👌": " ok ", "✅": " ok ", "🙏": " porfavor ", "👎": " no ", "❌": " no "}

# English contractions, expanded before apostrophes disappear ("we'll" must not become "well").
_CONTRACTIONS = ((r"\bwon['’]t\b", "will not"), (r"n['’]t\b", " not"), (r"['’]ll\b", " will"),
                 (r"['’]s\b", " is"), (r"['’]re\b", " are"), (r"['’]m\b", " am"), (r"['’]d\b", " would"))

# Ordinals written with digits: "el 2do", "la 1a", "1º" (folded to "1o").
_DIGIT_ORDINALS = ((r"\b1(?:er|ero|ra|ro|o|a)\b", "primero"), (r"\b2(?:do|da|o|a)\b", "segundo"),
                   (r"\b3(?:er|ero|ra|ro|o|a)\b", "tercero"), (r"\b4(?:to|ta|o|a)\b", "cuarto"),
                   (r"\b5(?:to|ta|o|a)\b", "quinto"))

# Misspellings and WhatsApp shorthand seen in Mexican B2B chats, token by token.
TYPOS: dict[str, str] = {
    # a unit said fondly is the unit ("dos cajitas de rondanas", "un rollito de teflón")
    "cajita": "caja", "cajitas": "cajas", "rollito": "rollo", "rollitos": "rollos", "cubetita": "cubeta",
    "cubetitas": "cubetas", "botecito": "bote", "botecitos": "botes", "bolsita": "bolsa", "bolsitas": "bolsas",
    # "necesito" is spelt every way the s/c/z sounds allow
    "nesesito": "necesito", "nesecito": "necesito", "nececito": "necesito", "necesto": "necesito",
    "nesito": "necesito", "necsito": "necesito", "nesesitamos": "necesitamos", "nesecitamos": "necesitamos",
    # b/v are one sound in Spanish
    "tuvo": "tubo", "tuvos": "tubos", "tuveria": "tuberia", "balvula": "valvula", "balvulas": "valvulas",
    "vomba": "bomba", "vombas": "bombas", "biernes": "viernes", "viernez": "viernes", "juebes": "jueves",
    "sabdo": "sabado", "savado": "sabado", "mierkoles": "miercoles", "domngo": "domingo",
    "tinako": "tinaco", "tinakos": "tinacos", "presio": "precio", "presios": "precios",
    "cmo": "como", "acomo": "a como",
    "cotisame": "cotizame", "cotisa": "cotiza", "kiero": "quiero", "kuanto": "cuanto", "cnto": "cuanto",
    # chat shorthand
    "q": "que", "k": "que", "ke": "que", "qe": "que", "xq": "porque", "pq": "porque", "porq": "porque",
    "xk": "porque", "x": "por", "pa": "para", "p": "para", "pal": "para el", "d": "de", "dl": "del", "tmb": "tambien",
    "tb": "tambien", "dnd": "donde", "bn": "bien", "ps": "pues", "pos": "pues", "pus": "pues", "ia": "ya",
    "yap": "ya", "mnn": "manana", "mna": "manana",
    "aki": "aqui", "ai": "hay", "ahy": "hay", "sta": "esta", "ta": "esta", "grax": "gracias",
    "grasias": "gracias", "nomas": "solo", "sig": "siguiente", "prox": "proxima", "edo": "estado",
    "yees": "yees", "yee": "yee",
    "asta": "hasta", "kitale": "quitale", "kitalos": "quitalos", "kitalas": "quitalas", "kitamelos": "quitamelos",
    "kita": "quita", "kien": "quien", "kienes": "quienes", "stan": "estan", "stoy": "estoy", "kitame": "quitame",
    "kiten": "quiten", "ola": "hola",
    "pls": "please", "plz": "please", "gimme": "give me", "lemme": "let me", "gotta": "have to",
    "plis": "porfavor", "porfa": "porfavor", "porfis": "porfavor",
    "xfa": "porfavor", "pfa": "porfavor", "pf": "porfavor", "xfavor": "porfavor",
    "oki": "ok", "okis": "ok", "okas": "ok", "okey": "ok", "okay": "ok", "oks": "ok",
    # payments spelt by ear
    "trasferi": "transferi", "tranferi": "transferi", "trasferencia": "transferencia",
    "tranferencia": "transferencia", "trasfiero": "transfiero", "tranfiero": "transfiero",
    # units
    "cal": "calibre", "pza": "pieza", "pz": "pieza", "pzas": "piezas", "pzs": "piezas", "mts": "metros",
    "lts": "litros", "lt": "litros", "milimetros": "mm", "milimetro": "mm", "centimetros": "cm", "centimetro": "cm",
    "t": "te", "sinfin": "sin fin", "jgo": "juego", "jgos": "juegos", "galv": "galvanizado",
    "boiler": "calentador", "boilers": "calentadores", "boiller": "calentador", "rll": "rollo", "rlls": "rollos",
    "cod": "codo", "cods": "codos", "adapt": "adaptador", "adapts": "adaptadores",
    "flex": "flexible", "cpl": "cople", "cpls": "coples", "cple": "cople", "cples": "coples",
    "copl": "cople", "copls": "coples",
    "vlv": "valvula", "vlvs": "valvulas", "valv": "valvula", "tbo": "tubo", "tbos": "tubos", "tmrw": "tomorrow",
    "adap": "adaptador", "adaps": "adaptadores", "tap": "tapon", "taps": "tapones", "nip": "niple", "nips": "niples",
    "tmw": "tomorrow", "u": "you", "ur": "your",
}

# The polite imperative ("apárteme", "quíteme", "agrégueme", "póngale") read as the familiar one the
# cue phrases are written in ("apartame", "quitame", "agregame", "ponle").
_AR_VERBS = {"apart": "apart", "mand": "mand", "quit": "quit", "agreg": "agregu", "separ": "separ", "pas": "pas",
             "cambi": "cambi", "anot": "anot", "cotiz": "cotic", "envi": "envi", "dej": "dej", "baj": "baj",
             "regal": "regal", "encarg": "encargu", "guard": "guard", "sum": "sum", "borr": "borr", "sac": "saqu",
             "chec": "chequ", "aument": "aument", "confirm": "confirm", "elimin": "elimin"}
_CLITICS = ("me", "le", "les", "nos", "melo", "melos", "mela", "melas", "selo", "selos", "sela", "selas", "lo", "los",
            "la", "las", "noslo", "noslos")
POLITE: dict[str, str] = {
    **{f"{usted}e{clitic}": f"{tu}a{clitic}" for tu, usted in _AR_VERBS.items() for clitic in _CLITICS},
    **{f"{usted}en{clitic}": f"{tu}a{clitic}" for tu, usted in _AR_VERBS.items() for clitic in ("me", "nos")},
    "pongame": "ponme", "pongale": "ponle", "ponganle": "ponle", "pongamelo": "ponmelo", "pongamelos": "ponmelos",
    "pongales": "ponles", "deme": "dame", "denme": "dame", "demelo": "damelo", "demelos": "damelos",
    "surtame": "surteme", "surtanme": "surteme", "traigame": "traeme", "digame": "dime",
}

# Short answers whose letters customers stretch ("siii", "vaaa", "nooo"): a stretched token
# is folded back only when the result is one of these, so "llave" or "correcto" stay intact.
STRETCHABLE = frozenset({
    "si", "no", "va", "ok", "ya", "sale", "dale", "nel", "gracias", "hola", "orale", "simon", "sip", "nop",
    "yes", "nope", "bueno", "buenas", "listo", "perfecto", "claro", "mande", "pague", "porfavor", "please",
})

_STRETCH_3 = re.compile(r"([a-z])\1{2,}")
_DOUBLE = re.compile(r"([a-z])\1")


def fold(text: str) -> str:
    """Lowercase and strip accents (ñ becomes n): customers type both ways, so we compare without them."""
    text = text.lower()
    for emoji, word in EMOJI.items():
        text = text.replace(emoji, word)
    for pattern, repl in _CONTRACTIONS:
        text = re.sub(pattern, repl, text)
    text = text.replace("\u2044", "/").replace("“", '"').replace("”", '"').replace("″", '"')
    return fold_accents(text).replace("°", " ")


# "favor de enviarme", "le solicito surtir", "¿me podría apartar…?": a purchase office asks with an infinitive,
# read as the familiar imperative the cue phrases are written in ("enviame", "surte", "apartame").
_ASKED_VERBS = ("enviar", "mandar", "apartar", "separar", "surtir", "poner", "considerar", "agregar", "anadir",
                "incluir", "quitar", "retirar", "eliminar", "cambiar", "ajustar", "confirmar", "cancelar", "cotizar",
                "pasar", "anotar", "reservar", "sumar", "dejar", "vender", "facturar", "proceder", "modificar",
                "corregir", "subir", "bajar")
_IRREGULAR = {"poner": "pon", "incluir": "incluye", "proceder": "procede", "corregir": "corrige"}
_ASKED = re.compile(r"\b(?P<pre>(?:me |nos )?(?:favor de|le solicito|les solicito|solicito|le pido|les pido|te pido|"
                    r"podrian|podria|pueden|puede|puedes|sirvase|sirvanse))\s+"
                    r"(?P<verb>" + "|".join(_ASKED_VERBS) + r")(?P<cl>(?:me|nos|le|les|se)?(?:lo|los|la|las)?)\b")


def _imperative(m: re.Match[str]) -> str:
    verb = m["verb"]
    base = _IRREGULAR.get(verb) or verb[:-2] + ("a" if verb.endswith("ar") else "e")
    lead = m["pre"].split()[0]
    return base + (lead if lead in ("me", "nos") and not m["cl"] else "") + m["cl"]


def _fix_token(token: str) -> str:
    """Un-stretch and correct one token."""
    if token in TYPOS:
        return TYPOS[token]
    if token in POLITE:
        return POLITE[token]
    stretched = _STRETCH_3.sub(lambda m: m.group(1) * (2 if m.group(1) in "lr" else 1), token)
    if stretched not in STRETCHABLE:
        single = _DOUBLE.sub(r"\1", stretched)
        if single in STRETCHABLE:
            stretched = single
    fixed = TYPOS.get(stretched, stretched)
    return TYPOS.get(corrected, corrected) if (corrected := correct(fixed)) != fixed else fixed


# what may follow "eso es todo" and still leave it said alone ("es todo gracias", "sería todo por hoy, saludos")
_COURTESY = re.compile(r"(?:(?:muchas|mil|gracias|thanks|porfa|porfavor|saludos|bendiciones|,)\s*)*")


# A writer saying who they are in English ("this is Mark from maintenance at the Roma building").
_WHO_WRITES = re.compile(r"(?:^|(?<=[,.;:!] ))(?:(?:this is|it is|its|i am|im) [a-z]+(?: [a-z]+)? (?:from|with|at) "
                         r"[^,.;:!?]*|[a-z]+(?: [a-z]+)? from [a-z ]{2,40}? here\b)")
_DOZENS = {"una": 1, "un": 1, "1": 1, "dos": 2, "2": 2, "tres": 3, "3": 3, "cuatro": 4, "4": 4}
_DOZEN_AND_A_HALF = re.compile(r"\b(?:(una|un|dos|tres|cuatro|[1-4]) )?docenas? y media\b")


_HALF_DETAIL = r"(?:de |en |in |of )?(?P<{}>\d{{1,2}}(?:/\d{{1,2}})?(?: \d/\d)?\"?|[a-z]{{3,}})"
_HALF_AND_HALF = re.compile(r"\b(?P<q>\d{1,4}) (?P<p>[a-z][a-z0-9/\" ]*?)\s*,?\s*(?:(?:la )?mitad|half) "
                            + _HALF_DETAIL.format("a") + r" (?:y|and) (?:la )?(?:otra )?(?:mitad|half) "
                            + _HALF_DETAIL.format("b") + r"(?=\s|$)")


def _halves(m: re.Match[str]) -> str:
    q = int(m["q"])
    if q % 2:
        return m.group()
    of, both = ("in", "and") if "half" in m.group() else ("de", "y")
    return f"{q // 2} {m['p']} {of} {m['a']} {both} {q // 2} {m['p']} {of} {m['b']}"


def normalize(text: str) -> str:
    """Fold, mark clauses with " , ", keep number punctuation, and fix typos token by token."""
    # A list written one item a line ("1.- 50 tramos…", "- 20 codos", "• 3 tees"): each line is a clause.
    # A comma inside such a line ("Cable cal. 12, rollo 100 m - 2 rollos") is the item's own detail.
    rows = text.split("\n")
    # "Saludos cordiales,\nDepartamento de Compras, Los Arcos": a signature after the closing says nothing
    closing = next((i for i, row in enumerate(rows) if i and _CLOSING.match(fold(row).lower())), None)
    if closing is not None:
        rows = rows[:closing]
    rows = [row for row in rows if not _ADDRESS_ROW.match(fold(row).lower())]
    if sum(bool(_LIST_ITEM.match(row)) for row in rows) >= 2:
        rows = [re.sub(r",(?!\d)", " ", row) if _LIST_ITEM.match(row) else row for row in rows]
    rows = [_LIST_ITEM.sub("", row) for row in rows]
    # "CPVC 3/4: tees x10…\nCPVC 1/2: tapones x25…": rows under headings of their own are read apart (SECTION)
    if sum(bool(_HEADING_ROW.match(row)) for row in rows) >= 2:
        rows = [f"{SECTION} {row}" if i and _HEADING_ROW.match(row) else row for i, row in enumerate(rows)]
    text = "\n".join(rows).replace("\n", " , ")
    text = re.sub(r"\s\+\s(?=(?:barat|car|economic|grande|chic|larg|cort|resistente)\w*)", " mas ", text)  # "+ barata"
    # "+10 tees": ten more (or a new line); "mariposa 150 pzas + 2 cajas pija": within a list, the next row
    text = re.sub(r"(?:^|(?<=,)|(?<=,\s))\s*\+ ?(?=\d)", " agregale ", text.strip())
    text = re.sub(r"\b[pP]/\s*(?=[a-zA-Z])", "para ", text)  # "sellador p/ imper"
    text = re.sub(r"\s[+&/|]\s", " , ", text)  # "50 apagadores + 30 contactos", "tubo 4 / codo x12 / tee 6"
    text = fold(text)
    # "RFC HCO0903059E0", "uso G01": a tax id and a CFDI use are no counts nor sizes
    text = re.sub(r"\b[a-z&]{3,4}\d{6}[a-z0-9]{3}\b|\buso (?:de )?(?:cfdi )?[a-z]\d{2}\b", " ", text)
    text = re.sub(r"\bcincuenta[ -]cincuenta\b", "50/50", text)  # "soldadura cincuenta cincuenta y dos pastas"
    text = _WHO_WRITES.sub(" ", text)  # "Hello, Daniel from Los Arcos here.": who writes, not what is bought
    text = _DOZEN_AND_A_HALF.sub(lambda m: str(12 * _DOZENS.get(m[1] or "una", 1) + 6), text)  # "docena y media": 18
    text = re.sub(r"\bunas (?=(?:pinzas|tijeras|tenazas)\b)", "1 ", text)  # "unas pinzas de presión": one pair
    text = re.sub(r"(\d+)\s*\(\s*([a-z ]+?)\s*\)", _said_twice, text)  # "Cant. 20 (veinte)": the count, once
    # "60 tees (40 de 1\" y 20 de 1 1/2\")", "bronce 1/2\" (perdón, son de 3/4\")": what a parenthesis adds is
    # a clause of its own
    text = re.sub(r"\(([^()]*)\)", _in_parentheses, text)
    text = re.sub(r"\s*(?:→|->|=>)\s*", " , ", text)  # "de 3/4 pvc → cpl 30 / cod90 25": the heading, then the list
    text = re.sub(r"\b(?:por|x) ?favor\b", "porfavor", text)  # one word, as "porfa" and "pls" become
    # a purchase order's abbreviations keep their period out of the clause marks: "cal. 12", "Cant. 8"
    text = re.sub(r"\b(cal|pzas?|pzs|pz|cant|num|aprox|ced|ing|lic|arq|mts?|lts?|kgs?|galv|hidr|jgos?|sanit)\.", r"\1 ",
                  text)
    text = re.sub(r"\bc/(?=\d)", " ", text)  # "codo c/90°"
    text = re.sub(r"\bp/(?=[a-z])", "para ", text)  # "manguera p/lavabo"
    text = re.sub(r"\b(?:c/|con )sus? (?=[a-z])", " , su ", text)  # "tinaco x1 c/su kit": its kit, counted in lines
    # "Tb PVC Ø 1\"", "40 tb sanitario 4": before a material, a size or after a count "tb" is the pipe, not "también"
    text = re.sub(r"(?:^|(?<=, )|(?<=\d )|(?<=\bel )|(?<=\bun )|(?<=\blos )|(?<=\bdel )|(?<=cuantos )"
                  r"|(?<=precio ))tb\s+"
                  r"(?=(?:pvc|cpvc|cobre|galv|hidraulico|sanitario|conduit|ppr|tuboplus|de \d|\d))",
                  "tubo ", text)
    text = _ASKED.sub(_imperative, text)
    text = re.sub(r"\bcuant[oa]s (?:tramos|lengths) (?!de tubo)", "cuantos tubos ", text)  # only pipe is by the length
    text = re.sub(r"\bc/u\b", " cada uno ", text)  # "40 de c/u": forty of each
    text = re.sub(r"\b(adap\w*) (m|h)\b", lambda m: f"adaptador {'macho' if m[2] == 'm' else 'hembra'}",
                  text)  # "adap m pvc 3/4": the male adapter
    # "tengo que instalar tres calentadores, mándame pa eso 3 conectores…": the job the goods are for, no line
    text = re.sub(r"\b(?:tengo|tenemos|voy|vamos|estoy|estamos|ando|andamos) (?:que |a )?(?:instalar|instalando|poner|"
                  r"poniendo|cambiar|cambiando|arreglar|arreglando|armar|armando|conectar|conectando)\b[^,]*, "
                  r"(?=(?:y )?(?:mandame|mandeme|dame|ocupo|necesito|enviame|ponme|surteme|cotizame)\b)", " ", text)
    text = re.sub(r"\b(?:pa|para) (?:eso|esos|esas|ellos|ellas)\b", " ", text)
    # "lo mismo pero de 1 en lugar de 3/4", "en vez de 3/4 que sean de 1": the detail said instead of the other
    text = re.sub(r"\b(?:lo mismo pero |los mismos pero |igual pero )?(de (?:\d{1,2} )?[\d/]+\"?) en (?:lugar|vez) de "
                  r"((?:\d{1,2} )?[\d/]+\"?)", r"\1 no de \2", text)
    text = re.sub(r"\ben (?:lugar|vez) de ((?:\d{1,2} )?[\d/]+\"?)(?: ,)? (?:que sean |mejor |ponlos |ponlas )?"
                  r"(de (?:\d{1,2} )?[\d/]+\"?)", r"\2 no de \1", text)
    # "30 pvc ball valves, 20 in 1/2 and 10 in 3/4": twenty of them in 1/2"; "also the same in 1 inch": lo mismo de 1"
    text = re.sub(r"\b(\d{1,5}) in (?=(?:\d{1,2} )?\d{1,2}/\d{1,2}\b|\d{1,2}\"|\d{1,2} (?:inch|in)\b)", r"\1 de ", text)
    text = re.sub(r"^((?:(?:also|and|plus|ok)\s+)*)(?:the )?same (?:thing |ones? )?(?:but )?in (?=\d)",
                  r"\1lo mismo pero de ", text)
    text = re.sub(r"\bsolvent[- ]weld(?:ed)?\b", "cementar", text)
    text = re.sub(r"\s(?:in|to|on|into) (?:the|my|our|this) order\b", " ", text)  # "put 4 of those in the order"
    text = re.sub(r"\b(\d{1,2})[- ]?years?\b", r"de \1 anos", text)  # "the 5 year waterproofing": a detail, no count
    # "3 galones tmb de vinílica blanca": "también" inside a line says nothing of where it ends
    text = re.sub(r"\b(\d{1,5} [a-z]+) (?:tambien|tmb|tb) (?=de [a-z])", r"\1 ", text)
    # "check columpio 1 x4", "la check de 1/2": the check valve named by its kind alone
    text = re.sub(r"(?<!valvula )(?<!valvulas )\b(?:(\d{1,5}|la|las|una|unas) checks?|^checks?)\b(?= columpio| de \d|"
                  r" \d| bronce| pvc|$| ,)", lambda m: f"{m[1] or ''} valvula check".strip(), text)
    # "agrega 20 machos de 1", "y las hembras": adapters named by their end alone
    text = re.sub(r"\b(\d{1,5}|los|las|unos|unas) (machos|hembras)\b", r"\1 adaptadores \2", text)
    text = re.sub(r"\b(?:otro|otra) par (?=de )", "otros 2 ", text)  # "y otro par de 24": two more, in 24"
    # "la de una sola palanca", "single handle": the one-lever mixer is what the catalog calls monomando
    text = re.sub(r"\b(?:de )?(?:una sola|un solo|1) (?:palanca|maneral|manija)\b|\bsingle[- ]handle\b", " monomando ",
                  text)
    # "10 tramos (corrijo: no son 15, son 10)", "de 1100 L, corrijo, de 750 L": a correction said in writing
    text = re.sub(r"\b(?:corrijo|correccion|me corrijo)\b", " , ", text)
    text = re.sub(r"\b(\d{2}) (a|x) (\d{2}) ?mm\b", r"\1 mm \2 \3 mm", text)  # "reducción 19 a 13 mm": both in mm
    # "a roll of teflon tape": one of that unit
    text = re.sub(r"(?:^|(?<=\s))an? (?=(?:roll|box|pair|set|bag|bucket|gallon|length|spool|tube)\b)", "1 ", text)
    text = re.sub(r"\bde (?:ese|esa|esos|esas) (ultim[oa]s?|primer[oa]s?)\b", r"del \1", text)  # "20 de ese último"
    text = re.sub(r"\b(45|90)s\b", r"codos \1", text)  # "60 copper 90s 1 inch": elbows, as a contractor says them
    text = re.sub(r"(?:^|(?<=, ))(\d{1,4}) ?m(?= [a-z])", r"\1 metros", text)  # "cable: …, 80 m cal 12": metres of it
    # "- Cant. 9 tinaco…", "Cant. 10 / Tramo…": a row that starts with its count; "Tubo… Cant. 8": the count column
    text = re.sub(r"(?:^|(?<=,))\s*cant(?:idad)?\s*:?\s*(\d{1,5})(?:\s*,)?\s+(?=[a-z])", r" \1 ", text)
    text = re.sub(r"\bcant(?:idad)?\s*:?\s*(?=\d)", " x ", text)
    # "1,100 L", "el de 2,500": a capacity written with a thousands comma
    text = re.sub(r"(?<![$\d,])(\d{1,3}),(\d{3})(?![\d,])(?=\s*(?:l|lt|lts|litros?|ml|m|mts|metros?|kg|w|watts)\b)",
                  r"\1\2", text)
    text = re.sub(r"(?<=\bde )(\d{1,2}),(\d{3})(?![\d.,])", r"\1\2", text)
    # "3/8x3", "4x2", "2x4": a size by a size written as one word; "x 20" after a product is a count
    text = re.sub(r'(?<=[\d"])x(?=\d)', " \x01 ", text)
    for pattern, repl in _DIGIT_ORDINALS:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\b(45|90)s\b", r"\1", text)  # "the 1 inch pvc 45s"
    # "10 red 3/4 a 1/2", "las red quítalas": a reducer written short (never the colour: it is not sold by it)
    text = re.sub(r"\bred(?=\s+(?:de\s+)?\d)", "reduccion", text)
    text = re.sub(r"\b(los|las) red\b", r"\1 reducciones", text)
    text = re.sub(r"(?<=\d)(?=[a-jl-z])|(?<=\d)(?=k[a-z])", " ", text)  # "10pzas", "5mil"; "3.5k" stays
    text = re.sub(r"(?<=[a-z])(?=\d)", " ", text)  # "x10", "cal12"
    text = re.sub(r"\b(\d{1,3}) mil (?=l\b|lts?\b|litros?\b)", r"\g<1>000 ", text)  # "cisterna de 5 mil litros"
    # "12 gauge wire", "the 14 awg": the gauge, said the Spanish way round
    text = re.sub(r"\b(\d{1,2}) ?(?:gauge|awg|ga)\b", r"calibre \1", text)
    # "a 100 m roll of 12 gauge wire": one roll, of 100 m
    text = re.sub(r"\b(?:a|one) (\d{2,3}) ?(?:m|mts|meters?|metres?) (?:roll|spool|coil) of\b", r"1 roll of \1 m", text)
    # "y 2 presurizadoras": a pump named by its kind alone
    text = re.sub(r"(?<!bomba )(?<!bombas )\b(presurizadora|sumergible|periferica|centrifuga)(s?)\b(?! para)",
                  lambda m: f"bomba{m[2]} {m[1]}{m[2]}", text)
    # "and 10 galvanized tees, same size", "y 10 tees, de la misma medida": in the size of the line before
    text = re.sub(r"\s*,?\s*(?:(?:in )?(?:the )?same size|(?:de |en )?(?:la )?misma medida|(?:del )?mismo tamano)"
                  r"(?=[?.!\s]*$)", " del mismo", text)
    # "40 tees de cobre, mitad de 1/2 y mitad de 1": two lines, half the count each
    text = _HALF_AND_HALF.sub(_halves, text)
    # "20 sticks of pvc", "10 sticks 3/4 in": a contractor's lengths of pipe
    text = re.sub(r"(?<=\d )sticks?\b", lambda m: "tramos" if m.group().endswith("s") else "tramo", text)
    # "three quarter inch", "half inch": sizes said in English
    text = re.sub(r"\bthree[ -]quarters?(?: of an?)?(?:[ -]inch(?:es)?)?\b", ' 3/4" ', text)
    # "3\" sanitary 90 elbows": after a size or a material, 45 or 90 is the elbow's angle, not a count
    text = re.sub(r'(?<=[a-z"\d] )(45|90) *(?:degrees? |deg )?(elbows?)\b', r"\2 de \1", text)
    text = re.sub(r"\b(?:half|one)(?= hp\b)", lambda m: "1/2" if m.group() == "half" else "1", text)  # "half hp"
    text = re.sub(r"\b(?:a )?half(?:[ -]an?)?(?:[ -]inch(?:es)?)\b|\bhalf(?= (?:pvc|copper|cpvc|galvanized)\b)",
                  ' 1/2" ', text)
    # "catorce pulgadas": kept for the second pass, when the number is digits (not "catorce 1\"")
    text = re.sub(r"\b(?:type ([lmk])|([lmk]) type)\b", r"tipo \1\2", text)  # copper pipe: "M type", "type L"
    text = _spelled(_WORD_INCHES.sub("\\1 \x02", text))
    # angles said in words: "codos de noventa", "a cuarenta y cinco"
    text = re.sub(r"\b(de|a|codos?) noventa\b", r"\1 90", text)
    text = re.sub(r"\b(de|a|codos?) cuarenta y cinco\b", r"\1 45", text)
    # horsepower said the way buyers say it: "de medio caballo", "de un caballo", "2 caballos"
    text = re.sub(r"\bmedio (?:caballo|hp)\b", "1/2 hp", text)
    text = re.sub(r"\b(?:un|1) (?:caballo|hp)\b", "1 hp", text)
    text = re.sub(r"\b(\d/\d|\d) caballos?(?: de fuerza)?\b", r"\1 hp", text)
    # "la bomba presurizadora rotoplas de 1/2": a pump is sized by its horsepower, not in inches
    text = re.sub(r"\b(bombas?(?: [a-z]+){0,3}) de (1/2|3/4|1 1/2|1|2)(?![\d/\"]| hp\b| pulgadas?\b)", r"\1 \2 hp",
                  text)
    text = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " , ", text)  # "3.5k" and "12,450" keep theirs
    text = re.sub(r"[;:?!¿¡…]+", " , ", text)
    text = re.sub(r'[^a-z0-9/$#%",.\s\x01\x02\x03]', " ", text)
    text = re.sub(r'(?<!\d)"', " ", text)  # a quote is kept only as inches after a number
    tokens: list[str] = []
    for tok in text.split():
        fixed = {"\x01": "x", "\x02": "pulgadas", SECTION: SECTION}.get(tok) or _fix_token(tok)
        if fixed != "," or (tokens and tokens[-1] != ","):  # one clause mark, never two in a row
            tokens.append(fixed)
    # sizes said in words read again once their numbers are digits ("trece milimetros" is 13 mm, 1/2")
    # and their typos fixed ("2 pulgdas")
    text = _spelled(" ".join(_in_digits(tokens)))
    # "la de quince mil trescientos diez con sesenta y uno": an amount said with its centavos
    text = re.sub(r"\b(\d{3,7}) (?:pesos )?con (\d{2})(?: centavos)?\b(?!\s*(?:[a-z]+s|de|x|pz|mm|m)\b)", r"\1.\2",
                  text)
    # "y los de 45 compa?", "jefe, me pasas…": who is spoken to says nothing about the order
    text = re.sub(r"(?<![a-z] de )\b(?:compa|compadre|jefe|jefa|jefecito|joven|amigo|amiga|carnal|wey|inge|mija|mijo|"
                  r"plebe|bro|primo|patron|mi rey|mi reina)\b", " ", text)
    # "…10 tramos es todo", "y ya sería todo": the list closes, nothing more is in it
    closed = re.sub(r"\b(?:y )?(?:ya )?(?:creo que )?(?:eso )?(?:es|seria) todo(?: por (?:ahora|hoy|el momento))?\b",
                    " , ", text)
    if closed != text and _COURTESY.fullmatch(closed.strip(" ,")):  # said alone, or with a thanks: an ack
        text = " ".join(["eso es todo", *closed.replace(",", " ").split()])
    else:
        text = closed
    # "teflón del que trae 13 metros", "de las que miden 60 cm": the detail the product comes in
    text = re.sub(r"\b(?:del|de la|de los|de las|el|la|los|las) (?:que|q) (?:trae|traen|viene|vienen|mide|miden|"
                  r"tiene|tienen) (?=\d)", "de ", text)
    # "ponme 10 de las dos", "mándame de los dos, tres piezas", "me llevo las dos cosas": each product talked about
    text = re.sub(r"\bde (?:las|los) (?:dos|2)(?: ,)? (?:(?:ponme|dame|mandame|apartame|quiero|ocupo|me das) )?"
                  r"(\d{1,5})\b",
                  r"\1 de cada uno", text)
    text = re.sub(r"\bde (?:las|los) (?:dos|2)(?: cosas)?\b|\bde (?:ambos|ambas)\b", "de cada uno", text)
    text = re.sub(r"\b(llevo|quiero|dame|mandame|ponme|apartame) (?:las|los) (?:dos|2) cosas\b", r"\1 1 de cada uno",
                  text)
    # "5 flexometros de los de 5 metros", "8 de las de 18": the kind said again, not another product
    text = re.sub(r"\bde (?:los|las|el|la) (?=de\b|del\b)", "", text)
    return " ".join(text.split()).strip(" ,")


# a closing line, alone or before who signs ("Saludos, Lic. Mario Treviño, Compras"), or a phone or tax id line
_CLOSING = re.compile(r"^\s*(?:(?:saludos(?: cordiales)?|un saludo|quedo atent[oa]s?|quedamos atent[oa]s?|atentamente|"
                      r"cordialmente|atte|att|gracias|muchas gracias|mil gracias)\s*[.,!]*\s*(?:saludos)?[.,!]*\s*"
                      r"(?:$|(?:ing|lic|arq|sr|sra|c\.?p)\b.*$|[a-z]+ [a-z]+(?:,.*)?$)"
                      r"|(?:tel|cel|celular|telefono|whatsapp|correo|email|e-mail|rfc)\b.*$)")
# A row that says where to deliver ("Enviar a obra: Calle 14 Poniente 2105, San Andrés Cholula"): no goods in it
_ADDRESS_ROW = re.compile(r"^\s*(?:enviar|entregar|entrega|envio|direccion|domicilio|ubicacion|ship to|deliver to)\b"
                          r".*\b(?:calle|av|avenida|col|colonia|blvd|boulevard|carretera|km|c ?p|fracc|street|st|ave)\b"
                          r"[ .]*(?:\S+ ){0,4}?\d")
# A row that opens with what its list is of: "CPVC 1/2: tapones x25…", "Sanitario 4\": tramos 15 / …", "Bombas: 2…"
_HEADING_ROW = re.compile(r"^\s*[^\W\d_][^:()\n]{1,40}:\s*\S")
SECTION = "\x03"  # the mark before such a row: `lines.extract_lines` reads each section apart
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[.)]\s*-?|[-•*])\s+")


def _in_parentheses(m: re.Match[str]) -> str:
    """A parenthesis that splits or corrects the line ("(40 de 1\" y 20 de 1 1/2\")", "(perdón, son de 3/4\")") is a
    clause of its own; one that details it ("(100 m)", "(caja con 100)") stays in it."""
    inside = m.group(1)
    if re.search(r"\b(?:perdon|corrijo|no|son|es|mejor)\b|\d+ de \S", inside):
        return f" , {inside} , "
    return f" {inside} "


def _said_twice(m: re.Match[str]) -> str:
    words = m[2].split()
    read = read_number_words(words, 0)
    return m[1] if read is not None and read == (int(m[1]), len(words)) else m[0]


def _spelled(text: str) -> str:
    """ "de media", "tres cuartos", "pulgada y media": 1/2", 3/4", 1 1/2" ("media docena" stays a count)."""
    return spell_sizes(text.replace("media docena", "\0")).replace("\0", "media docena")


def _in_digits(tokens: list[str]) -> list[str]:
    """Counts and sizes said in words, as digits ("seis tinacos de mil cien" -> "6 tinacos de 1100");
    "un"/"una" stay, being articles as often as counts."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "mil" and out and out[-1].isdigit() and int(out[-1]) < 1000 and i + 1 < len(tokens) and (
                tokens[i + 1] in COUNT_UNIT or PRODUCT.fullmatch(tokens[i + 1])):
            out[-1] = str(int(out[-1]) * 1000)  # "5 mil pijas": five thousand of them ("te mando 5 mil" stays money)
            i += 1
            continue
        if tokens[i] in ("medio", "media") and tokens[i + 1: i + 2] in (["ciento"], ["cien"]):
            out.append("50")  # "medio ciento de coples": fifty, not half an inch and a hundred
            i += 2
            continue
        starts = (tokens[i] in NUMBER_WORDS and (tokens[i] not in _WORDS_KEPT or tokens[i + 1: i + 2] in (
            ["hundred"], ["thousand"]))) or (
            tokens[i] == "mil" and not (out and out[-1].isdigit()))
        read = read_number_words(tokens, i) if starts else None
        if read is None:
            out.append(tokens[i])
            i += 1
            continue
        value, used = read
        if tokens[i + used - 1] == "y":  # "dos y tres": the "y" joins two numbers, not one
            used -= 1
        after = tokens[i + used] if i + used < len(tokens) else ""
        # "mil taquetes", "5 mil litros": a thousand of something named
        named = after in MEASURE_UNIT or after in COUNT_UNIT or bool(PRODUCT.fullmatch(after))
        if "mil" in tokens[i:i + used] and not (named or (out[-1:] == ["de"] and (len(out) < 2
                                                                                 or out[-2] not in _MONEY_WORDS))):
            out += tokens[i:i + used]  # "les abono cinco mil": an amount, read as said (not "de mil cien")
        else:
            out.append(str(value))
        i += used
    return out


_MONEY_WORDS = frozenset({"abono", "pago", "deposito", "transferencia", "cantidad", "total", "saldo", "adeudo",
                          "cheque", "monto", "mas", "menos", "alrededor"})


# --- numbers -----------------------------------------------------------------------------

NUMBER_WORDS: dict[str, int] = {
    "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21,
    "veintiun": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30,
    "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
    "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300,
    "cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500, "quinientas": 500, "seiscientos": 600,
    "seiscientas": 600, "setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800,
    "novecientos": 900, "novecientas": 900, "veintiuna": 21,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100,
}
# Number words left as words: articles ("un codo") and English words that are not always numbers.
_WORDS_KEPT = frozenset({"un", "una", "uno", "one", "once"})
# Counting words: "una docena" is 12, "un par" 2, "media docena" 6.
GROUP_WORDS: dict[str, int] = {"docena": 12, "docenas": 12, "par": 2, "pares": 2, "dozen": 12, "pair": 2,
                               "couple": 2, "cientos": 100, "millar": 1000, "millares": 1000}


# Number words spell_sizes does not read itself, before "pulgadas" ("catorce pulgadas", "veinticuatro pulgadas").
_WORD_INCHES = re.compile(r"\b(" + "|".join(w for w in NUMBER_WORDS if NUMBER_WORDS[w] > 10 and NUMBER_WORDS[w] != 12)
                          + r")\s+(?:pulgadas?|pulgs?|plgs?)\b")


def read_number_words(tokens: Sequence[str], start: int) -> tuple[int, int] | None:
    """Read a run of Spanish number words at `start` ("dos mil quinientos"); return (value, tokens used)."""
    total = current = 0
    i = start
    seen = False
    while i < len(tokens):
        tok = tokens[i]
        # "treinta y cinco": "y" joins tens and units only ("catorce y un par" is two things)
        if (tok == "y" and seen and i + 1 < len(tokens) and NUMBER_WORDS.get(tokens[i + 1], 10) < 10
                and current % 100 >= 30 and current % 10 == 0):
            i += 1
            continue
        if tok == "and" and seen and current and current % 100 == 0 and NUMBER_WORDS.get(
                tokens[i + 1] if i + 1 < len(tokens) else "", 100) < 100:
            i += 1  # "one hundred and fifty"
            continue
        if tok == "mil" or (tok == "thousand" and seen):
            total += (current or 1) * 1000
            current = 0
        elif tok == "hundred" and seen and 0 < current % 100 < 10:
            current += current % 100 * 99  # "three hundred": the units before it, a hundred each
        # "ciento veinte", "treinta cinco"; "veinticuatro una tarraja" is 24 and one more thing
        # ("cien cien apagadores": a hundred, then another hundred, never two hundred)
        elif tok in NUMBER_WORDS and (current % 100 == 0 or (current % 10 == 0 and NUMBER_WORDS[tok] < 10)) \
                and not (current and NUMBER_WORDS[tok] >= 100):
            current += NUMBER_WORDS[tok]
        else:
            break
        seen = True
        i += 1
    return (total + current, i - start) if seen else None


# --- regex helpers --------------------------------------------------------------------------


def any_of(*phrases: str) -> re.Pattern[str]:
    """A regex matching any of `phrases` as whole words (a phrase may hold regex syntax)."""
    return re.compile(r"(?<![\w/])(?:" + "|".join(phrases) + r")(?![\w/])")


# --- products and measures ----------------------------------------------------------------

# Catalog nouns, materials and brands: their presence turns "dame 5" into an order for something.
PRODUCT = any_of(
    r"tub(?:o|os|ito|itos|eria|erias)", r"codos?", r"coples?", r"tees?", r"tinacos?", r"cisternas?",
    r"llaves?", r"valvulas?", r"calentador(?:es)?", r"boiler(?:s)?", r"bombas?", r"mezcladoras?",
    r"regaderas?", r"mangueras?", r"cespol(?:es)?", r"cementos?", r"pegamentos?", r"sondas?", r"pinturas?",
    r"impermeabilizantes?", r"stilson", r"herrajes?", r"conexion(?:es)?", r"adaptador(?:es)?",
    r"reduccion(?:es)?", r"tapon(?:es)?", r"cintas?", r"teflon", r"clavos?", r"rotomartillos?", r"taladros?",
    r"termofusor(?:es)?", r"pijas?", r"taquetes?", r"discos?", r"brocas?", r"cables?", r"flotador(?:es)?",
    r"abrazaderas?", r"niples?", r"tuercas?", r"tornillos?", r"rondanas?", r"estopa", r"sellador(?:es)?",
    r"silicon(?:es)?", r"lijas?", r"martillos?", r"pinzas?", r"seguetas?", r"flexometros?", r"esmeriladoras?",
    r"contactos?", r"apagador(?:es)?", r"centros?", r"focos?", r"interruptor(?:es)?", r"pastillas?", r"mallas?",
    r"conector(?:es)?", r"mariposas?", r"coladeras?", r"tarjas?", r"inodoros?", r"lavabos?", r"fregaderos?",
    r"tanques?",
    r"kits?", r"brochas?", r"rodillos?", r"guantes?", r"filtros?", r"bridas?", r"destapacanos",
    r"tuboplus", r"cpvc", r"pvc", r"ppr", r"cobre", r"galvanizad[oa]s?", r"sanitari[oa]s?", r"wc", r"thw",
    r"rotoplas", r"urrea", r"truper", r"helvex", r"foset", r"calorex", r"nacobre", r"amanco", r"comex",
    r"fester", r"sika", r"tupy", r"dica", r"cinsa", r"pretul", r"volteck", r"condumex", r"coflex",
    r"yees?", r"chupon(?:es)?", r"sapos?", r"palancas?", r"pistolas?", r"tarrajas?", r"placas?", r"chalupas?",
    r"electronivel(?:es)?", r"thinner", r"vinilicas?", r"cuellos?", r"soldaduras?", r"pastas?", r"fundentes?",
    r"carretes?", r"cubetas?", r"lijas?", r"espatulas?", r"cincel(?:es)?", r"desarmador(?:es)?", r"llaves?",
    r"nivel(?:es)?",
    r"arcos?", r"flexometros?", r"codos?", r"ventilador(?:es)?", r"extension(?:es)?", r"multicontactos?", r"lamparas?",
    r"focos?", r"sockets?", r"termicas?", r"centros? de carga", r"tubos?", r"maneral(?:es)?", r"fluxometros?",
    r"asientos?",
    r"coladeras?", r"rejillas?", r"tapas?", r"empaques?", r"sellos?", r"mangueras?", r"esparragos?",
    r"anclas?", r"clavijas?", r"escaleras?", r"carretillas?", r"palas?", r"picos?", r"marros?", r"rotomartillos?",
    r"pipes?", r"elbows?", r"valves?", r"pumps?", r"tanks?", r"heaters?", r"faucets?", r"fittings?",
    r"couplings?", r"wires?", r"screws?", r"copper", r"hoses?",
    r"alambres?", r"cortatubos?", r"pichanchas?", r"peras?", r"monomandos?", r"flexibles?", r"cepillos?",
    r"bushings?", r"tazas?", r"sierras?", r"registros?", r"dados",
    r"sopletes?", r"tijeras?", r"cucharas?", r"limpiador(?:es)?", r"primarios?",
    r"esmaltes?", r"cilindros?", r"multiconector(?:es)?", r"brazos?",
    r"pericas?", r"gfci", r"temflex", r"sikaflex", r"arandelas?", r"termomagnetic[oa]s?", r"hidroneumaticos?",
    r"flaps?",
)
# Variant words: materials, types, angles and brands the catalog tells products apart by.
ATTRIBUTES = frozenset({
    "pvc", "cpvc", "cobre", "copper", "galvanizado", "galvanizada", "galvanizados", "galvanizadas", "galv",
    "tuboplus", "ppr", "plus", "sanitario", "sanitaria", "hidraulico", "hidraulica", "90", "45", "l", "m",
    "rotoplas", "urrea", "truper", "helvex", "foset", "calorex", "nacobre", "amanco", "comex", "fester",
    "coflex", "dica", "cinsa", "pretul", "volteck", "condumex", "tupy", "rigido", "flexible", "bronce",
    "cromada", "cromado", "esfera", "compuerta", "paso", "roscado", "rosca", "hembra", "macho",
})
# A size such as 1/2, 1 1/2, 3/4", 2" or "de 90" also says what is wanted ("mandame 10 de 1/2").
MEASURE = re.compile(r'(?<![\w/])(?:\d{1,2} )?\d{1,2}/\d{1,2}"?(?![\w/])|(?<![\w/])\d{1,2}"')
# What follows a number when the number is a size or capacity, not a count.
MEASURE_UNIT = frozenset({
    "pulgada", "pulgadas", "pulg", "pulgs", "plg", "in", "inch", "inches", "mm", "cm", "hp", "w", "watts",
    "v", "volts", "l", "litros", "litro", "liter", "liters", "litre", "litres", "ml", "kg", "anos", "ano", "%", "mil",
    "grados", "grado", "degrees", "degree", "deg", "gal", "k",
    "ton", "toneladas", "lb", "lbs", "oz", "psi", "amp", "amperes", "a",
})
# Containers and units a count is given in ("2 rollos de cable", "pedido de 8 tramos").
COUNT_UNIT = frozenset({
    "piezas", "pieza", "unidades", "unidad", "tramos", "tramo", "cajas", "caja", "rollos", "rollo", "metros",
    "metro", "cubetas", "cubeta", "bultos", "bulto", "kilos", "kilo", "paquetes", "paquete", "juegos",
    "juego", "bolsas", "bolsa", "galones", "galon", "botes", "bote", "tubos", "pcs", "pieces", "boxes",
    "carretes", "carrete", "gallons", "gallon",
    "rolls", "units", "feet", "meters", "lengths", "length", "sets", "set", "box", "roll", "piece",
    "buckets", "bucket", "pails", "pail", "bags", "bag", "kilograms", "kg",
})
# Words before a number that make it a label, not a count ("calibre 12", "factura 512", "de 90").
NUMBER_LABEL = frozenset({"calibre", "tipo", "#", "numero", "no", "factura", "fac", "cedula", "modelo",
                          "invoice", "folio", "el", "la", "del", "al", "hasta", "dia"})

# --- intents: cue phrases ------------------------------------------------------------------

GREETING = any_of(
    r"hola", r"buen(?:os|as)? (?:dia|dias|tardes|noches)", r"buenas", r"que tal", r"hi", r"hello", r"hey",
    r"oye", r"oiga", r"oigan", r"saludos", r"good (?:morning|afternoon|evening)",
)
THANKS = any_of(r"gracias", r"muchas gracias", r"thanks?(?: you)?", r"thx", r"luego les escribo", r"bye",
                r"hasta luego", r"nos vemos")

# Payments already made: past tense ("pague", "transferi") or asking whether it arrived.
PAID = any_of(
    # "ya les pago el viernes" is a promise: the bare present "pago" is left out on purpose
    r"ya (?:les |le |te |se |lo |la |me )?(?:pague|pagamos|pagaron|deposite|depositamos|depositaron|"
    r"transferi|transferimos|transfirieron|abone|abonamos|liquide|liquidamos|hice|hicimos|mande|"
    r"mando|mandamos|envie|enviamos|realice|cubri)",
    r"(?:les |le |te )?(?:pague|deposite|transferi|abone|liquide|cubri)",
    r"(?:hice|hicimos|realice|realizamos|se hizo) (?:el|la|un|una) (?:pago|deposito|transferencia|spei|abono)",
    # "ya quedo" alone is "all set"; only with the payment named is it a payment
    r"ya (?:quedo|esta) (?:el|la|mi) (?:pago|deposito|transferencia|abono)", r"se hizo el pago", r"comprobante",
    r"(?<!no nos han )(?<!no me han )(?<!no le han )(?<!no han )pagad[oa]s?",  # "no nos han pagado una obra"
    r"transferencia enviada", r"pago (?:enviado|realizado|hecho)",
    r"(?:llego|llegaron|reflejo|reflejado|aplicaron|aplicado|recibieron|vieron|aparece) (?:mi|el|nuestro) "
    r"(?:pago|deposito|abono|transferencia)",
    r"(?:mi|el|nuestro) (?:pago|deposito|abono|transferencia) (?:ya )?(?:salio|llego|se reflejo|aparece)",
    r"already paid", r"i paid", r"we paid", r"(?:get|got|receive|received) (?:my|the|our) payment",
    r"payment (?:sent|done|made)", r"(?:sent|made) the payment",
)
# Where to pay: bank details are answered by the supervisor, not recorded as a promise.
_WHERE_TO_PAY = (
    r"numero de cuenta", r"a que cuenta", r"cuenta (?:para|de|donde) (?:transferir|depositar|pagar|deposito)",
    r"clabe", r"datos bancarios", r"donde (?:les |le )?(?:deposito|pago|transfiero)", r"bank (?:account|details)",
    r"datos (?:para|de|pa) (?:la )?(?:transferencia|deposito|transfer\w*|deposit\w*)",
    r"(?:la|tu|su) cuenta (?:para|pa) (?:hacer(?:te|les)? )?(?:la )?(?:transferencia|transfer\w*|depositar\w*)",
    r"(?:what|which) account", r"account (?:number|to (?:pay|transfer|deposit))",
    r"where (?:do|can|should) (?:i|we) (?:pay|transfer|deposit|wire)", r"wire (?:transfer )?details",
    r"bank (?:info|information|data|acct|accnt)",
    # "me pasa la cuenta para hacerle la transferencia", "los datos para hacerle una transferencia"
    r"(?:datos|cuenta|clabe) (?:para|pa) (?:hacer(?:le|les|te)? |realizar |mandar(?:le|les)? )?(?:una |la |el )?"
    r"(?:transferencia|transfer|deposito|pago)",
)
BANK_INFO = any_of(*_WHERE_TO_PAY)
# Paying later: present-for-future verbs ("les pago", "les deposito"), periphrases and English futures.
PROMISE_VERB = any_of(
    # ("¿cómo le pago?" asks how, it promises nothing)
    r"(?<!como )(?<!cuando )(?<!donde )(?:les|le|te|se|lo|la|yo) (?:pago|deposito|transfiero|abono|liquido|cubro|"
    r"pagamos|depositamos|transferimos|liquidamos)",
    r"(?:voy|vamos|paso|pasamos|me comprometo|nos comprometemos) a (?:pagar|depositar|transferir|liquidar|abonar)",
    r"(?:we|i) ?(?:'ll|ll| will| are going to| am going to|re going to|m going to|'re going to|'m going to) "
    r"(?:send|pay|transfer|deposit|wire|settle)",
    r"(?:pagare|depositare|transferire|liquidare|abonare|pagaria)",
    r"(?:hago|hacemos|mando|mandamos|envio) (?:el|la) (?:pago|spei|deposito|transferencia)",
    r"queda(?:ra)? el pago", r"dame chance", r"denme chance",
    r"se (?:liquida|liquidara|paga|pagara|cubre|cubrira|deposita|depositara|transfiere|transferira)\b",
    r"(?:te|le|les) (?:mando|mandamos|envio|enviamos|deposito|transfiero) (?:los |el |unos )?"
    r"(?:\$ ?\d[\d,.]*|\d[\d,.]* (?:mil|pesos))",  # "el viernes te mando 10 mil"
    r"(?:les |le |te )?(?:realizamos|realizaremos|realizare|realizo|haremos|hare|hacemos|hago|efectuamos|efectuaremos|"
    r"efectuare) "
    r"(?:el |un |la |una |nuestro )?(?:pago|deposito|transferencia|abono|spei)",
    r"will (?:pay|transfer|send (?:the |you the )?(?:payment|money))", r"pay you",
    r"(?:i will|ill|gonna|going to|i am going to|will) (?:pay|transfer|deposit|wire|settle)",
    r"(?:i will|ill|gonna|going to|i am going to|will) (?:send|make|do) (?:you )?(?:the |a )?"
    r"(?:transfer|payment|deposit|wire)",
)
# "pago", "deposito", "transfiero" with a date and no pronoun ("pago mañana"); "calentador de depósito",
# "forma de pago" are things, not promises.
PROMISE_BARE = any_of(r"(?<!de )pago", r"(?<!de )deposito", r"transfiero", r"liquido", r"abono", r"pagamos",
                      r"depositamos", r"transferimos", r"liquidamos", r"abonamos", r"pay")

# What the customer owes: statement, balance, due invoices, available credit.
ACCOUNT = any_of(
    r"(?:cuanto|lo que) (?:es lo que )?(?:me |nos )?(?:falta|faltaria|resta) (?:por |de )?(?:pagar|liquidar|cubrir)",
    r"cuanto (?:me |nos )?(?:falta|resta|debo) de la (?:factura |fac )?\d{3,6}",
    r"cuanto (?:me |nos )?resta",
    r"cuanto (?:les |le |te )?(?:debo|debemos)(?! pagar (?:por|para))", r"lo que (?:les |le )?(?:debo|debemos)",
    r"que (?:les |le )?debo", r"estado (?:de )?cuenta", r"saldos?", r"adeudos?",
    r"facturas? (?:[a-z]+ ){0,2}(?:pendientes?|vencidas?|abiertas?|por pagar|sin pagar)",
    r"tengo (?:algo |algun |alguna )?(?:pendiente|vencido|factura pendiente)",
    r"credito disponible", r"linea de credito", r"se me vence", r"(?:vence|vencen) (?:la|mi|mis|las)",
    r"cuanto me falta (?:por |para )?pagar", r"desglose", r"cuanto me queda (?:por pagar|pendiente|de saldo)",
    r"cuanto (?:traigo|traemos|tengo|tenemos|llevo|llevamos) (?:de )?(?:vencido|pendiente|adeudo|por pagar)",
    r"(?:traigo|traemos|tenemos) (?:algo )?(?:vencido|pendiente)",
    r"(?:factura|fac) (?:que|q) (?:me |nos )?(?:vence|vencio|se vence)",
    r"balance", r"(?:account )?statement",
    r"(?:what|how much) do (?:i|we) owe", r"(?:pending|overdue|open|unpaid|outstanding) (?:invoices?|bills?)",
    r"how much (?:i|we) owe", r"what (?:i|we) owe(?: you)?",
    r"(?:do|have) (?:i|we) (?:have )?anything (?:pending|outstanding|overdue|open|due)",
    r"(?:my|our) (?:open |outstanding )?(?:balance|tab)", r"(?:anything|something) (?:pending|outstanding|overdue)",
    r"what (?:do|did) (?:i|we) (?:have )?(?:overdue|outstanding|pending|past due)",
    r"(?:what|how much) (?:is|do (?:i|we) have) (?:overdue|outstanding|past due)",
    r"(?:cuales|que) facturas", r"(?:tengo|traigo) vencid[oa]s?",
)
# Price questions. "a como" and "me regalas precio" are the Mexican classics.
PRICE = any_of(
    r"a como", r"a cuanto (?:el|la|los|las|esta|estan|sale|salen)", r"precios?", r"costos?", r"cotiza\w*",
    r"cotizacion(?:es)?",
    r"cuanto (?:cuesta|cuestan|sale|salen|vale|valen|esta|estan|por|seria|serian|costaria|saldria|queda|"
    r"quedan|me (?:sale|salen|cuesta|cuestan|dejas|deja|das|da|queda|quedan|cobras|cobran))",
    r"en cuanto (?:me )?(?:dejas|deja|das|da|sale|salen|queda|quedan|esta|estan)", r"debo pagar (?:por|para)",
    r"cuanto (?:es|seria|sale|queda) (?:el )?total", r"(?:y )?si (?:me )?llevo \d{1,5}",
    r"how much", r"price", r"prices", r"quote", r"cost",
    r"(?<=[a-z0-9\"] )cuanto(?= ,|$)",  # "¿y el rollo de 100 metros cuánto?"
)
# Ordering verbs (Mexican "ocupo" = necesito) and their English counterparts.
ORDER_VERB = any_of(
    r"necesito", r"necesitamos", r"ocupo", r"ocupamos", r"quiero", r"queremos", r"quisiera", r"quisieramos",
    r"mandame", r"mandenme", r"mandeme", r"mandanos", r"me mandas", r"me mandan", r"me manda", r"mandar",
    r"manden", r"mande", r"me pone", r"me pones", r"pongan", r"me urgen?", r"urgen", r"ocupariamos",
    r"enviame", r"envienme", r"envieme", r"enviar", r"envia", r"me envias", r"envien", r"aparta", r"apartame",
    r"apartanos", r"envianos", r"surtenos", r"separanos",
    r"apartenme", r"me apartas", r"me aparta", r"apartas", r"separame", r"separenme", r"me separas", r"apartamelos",
    r"apartamelas", r"apartamelo", r"mandamelos",
    r"mandamelo", r"separamelos", r"ponme", r"pongame", r"ponle", r"ponles", r"pongale", r"dame", r"deme", r"denme",
    r"danos", r"surteme", r"surtanme", r"me llevo", r"nos llevamos", r"agregame", r"agrega", r"agregale",
    r"anotame", r"anota", r"hazme", r"hagame", r"pideme", r"pedir", r"van a ser", r"seran", r"regalame",
    r"vendeme", r"me vendes", r"send me", r"send", r"i need", r"we need", r"need", r"i want", r"we want", r"book",
    r"reserve", r"hold(?! on)",
    r"set aside", r"i will take", r"get me", r"(?:can|could|may) (?:i|we) (?:get|have|order)",
    r"(?:can|could) you (?:send|ship|get)(?: me| us)?", r"put me down for",
    r"put (?:\d{1,5} )?aside", r"put(?= \d{1,5} )",
    r"i would like", r"i will take", r"give me", r"order", r"pedido",
    r"(?:le|te|les) encargo", r"encargo", r"me encargas?", r"pasame", r"pasenme", r"me pasas?", r"me pasan",
    r"me avientas?", r"aviantame", r"avientame", r"me surtes", r"me surte", r"me consigues", r"(?:voy|vamos) a ocupar",
    r"(?:voy|vamos) a necesitar", r"(?:voy|vamos) a querer", r"ocuparia", r"necesitaria", r"serian",
    r"me apoyas con", r"me ayudas con", r"(?:le |les )?solicit(?:o|amos)", r"requier[oe]", r"requerimos", r"surte",
    r"considera", r"incluye", r"please (?:send|reserve|ship|supply|quote)", r"kindly (?:send|reserve|ship|supply)",
)
SEARCH = any_of(
    r"tienen", r"tienes", r"tiene", r"tendran", r"tendras", r"tendra", r"manejan", r"manejas", r"maneja",
    r"hay", r"habra", r"existencias?", r"busco", r"buscando", r"venden", r"vendes", r"que marcas",
    r"que tipos?", r"que modelos", r"lo que tengas", r"catalogo", r"do you (?:have|sell|carry)",
    r"do you have", r"have any", r"looking for", r"any (?:stock|available)", r"ensename", r"ensenenme",
    r"muestrame", r"muestrenme", r"show me", r"cuentan con", r"cuentas con", r"informes? de",
    r"informacion de",
)
# Questions the supervisor answers itself: hours, places, delivery, invoices, returns, services.
GENERAL = any_of(
    r"a que hora", r"que (?:hora|hr|hrs)\b", r"horarios?", r"abren", r"cierran", r"what time", r"open", r"close",
    r"donde (?:estan|quedan|se ubican)", r"ubicad[oa]s?", r"ubicacion", r"direccion", r"sucursal(?:es)?",
    r"recoger", r"entregas?", r"envios?", r"envian", r"fletes?", r"a domicilio", r"cuanto tarda\w*",
    r"tardan", r"no ha llegado", r"llega el camion", r"deliver(?:y|ies)?", r"shipping",
    r"facturas?", r"facturar", r"xml", r"pdf", r"rfc", r"datos fiscales", r"cfdi", r"invoice (?:copy|pdf)",
    r"aceptan", r"tarjeta", r"meses sin intereses", r"formas? de pago",
    r"abrir (?:un )?credito", r"con quien (?:hablo|me comunico)", r"asesor", r"vendedor",
    r"cambio", r"cambian", r"cambiar", r"devolucion", r"devolver", r"quebrad[oa]", r"rot[oa]",
    r"defectuos[oa]", r"incomplet[oa]", r"garantia", r"warranty", r"queja", r"reclamo",
    r"servicio de", r"instalacion", r"instalan", r"minimo", r"gratis", r"is this", r"who are you",
    r"(?:por|al) (?:mayoreo|menudeo)", r"al publico", r"(?:mi|el) pedido", r"cuando (?:me )?llega",
    r"credito", r"estacionamiento", r"telefono", r"whatsapp", r"correo",
    r"where (?:is|are) (?:your|you)(?: (?:place|store|shop|warehouse|located|guys))?", r"your address",
)

# --- flow answers -----------------------------------------------------------------------------

CONFIRM = any_of(
    r"si", r"sip", r"simon", r"sii", r"va", r"vale", r"sale", r"ok", r"dale", r"confirmo", r"confirmado",
    r"sobres", r"jalale", r"okas", r"fierro", r"ahi muere",
    r"confirmamos",
    r"confirmada", r"de acuerdo", r"adelante", r"correcto", r"esta bien", r"asi esta bien", r"perfecto",
    r"listo", r"claro", r"orale", r"hazlo", r"procede", r"procedan", r"proceda", r"procedemos", r"mandalo",
    r"enviarlo", r"por supuesto", r"yes", r"dice (?:que|q) si", r"dijo (?:que|q) si", r"dijeron (?:que|q) si",
    r"yep", r"yeah", r"sure", r"go ahead", r"confirm(?:ed)?", r"alright", r"bueno", r"esta perfecto",
    r"confirma(?:lo|la|los|las|me|nos)?", r"autoriz(?:o|amos|ado|ada)", r"lo autorizo", r"se autoriza",
    r"confirmamel[oa]s?", r"confirme(?:lo|la|me)?", r"confirmen(?:lo|la|me)?",
    r"mandamelos?", r"mandenlos?",
    r"envialo", r"envienlo", r"cierralo",
    # the regional and the English ways to say go ahead
    r"jalo", r"arre", r"de una", r"hagale(?: pues)?", r"hecho", r"trato hecho", r"andale", r"vientos", r"a huevo",
    r"ahi muere", r"do it", r"sounds good", r"perfect", r"approved?", r"ship it", r"send it", r"place (?:the order|it)",
    r"proceed", r"cerramos", r"cerremos", r"cierra(?:lo)?", r"cerrar (?:el|mi) pedido",
)
# A refusal starts the message ("no", "mejor no") or is a cancel verb anywhere ("cancelalo porfa").
CANCEL_START = re.compile(r"^(?:no|nel|nop|nope|nah|mejor no|ya no|ahorita no|mejor luego|luego|despues|"
                          r"todavia no|aun no|not now)\b")
CANCEL = any_of(
    r"cancela\w*", r"cancel\w*", r"olvidalo", r"olvidelo", r"olvida(?:lo)?", r"no gracias", r"asi no",
    r"ya no lo (?:ocupo|quiero|necesito)", r"ninguno", r"ninguna", r"none", r"never ?mind", r"forget it",
    r"mejor no", r"mejor luego", r"para (?:despues|luego|otro dia|otra ocasion)",
)
NONE_OF_THESE = any_of(r"ningun[oa]", r"none(?: of (?:them|these))?", r"no me sirve(?:n)?")

# Picking from numbered options.
ORDINALS: dict[str, int] = {
    "primero": 0, "primera": 0, "primer": 0, "segundo": 1, "segunda": 1, "tercero": 2, "tercera": 2,
    "tercer": 2, "cuarto": 3, "cuarta": 3, "quinto": 4, "quinta": 4, "sexto": 5, "sexta": 5, "septimo": 6,
    "septima": 6, "octavo": 7, "octava": 7, "noveno": 8, "novena": 8, "decimo": 9, "decima": 9,
    "ultimo": -1, "ultima": -1, "penultimo": -2, "penultima": -2,
    "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1,
}
_ORDINAL_WORDS = "|".join(ORDINALS)
# An ordinal picks an option after an article ("el primero", "no, la segunda opcion") or said alone
# ("primero porfa"); "primero quiero saber el precio" is the adverb.
ORDINAL = re.compile(
    rf"(?:^|(?<=\s))(?:el|la|lo|los|las|the|opcion|option)\s+(?P<word>{_ORDINAL_WORDS})\b"
    rf"|^(?P<alone>{_ORDINAL_WORDS})(?:\s+(?:opcion|option|one|porfavor|please))?$"
)
# "la 2", "opcion 3", "#2", "numero uno", "option 1", "the 2nd": an explicit option number.
OPTION_NUMBER = re.compile(
    r"(?:^|(?<=\s))(?:(?:el|la|los|las|opcion|option|numero|num|no|#|the)\s*)+#?"
    r"(\d{1,2}|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|one|two|three|four|five)"
    r"(?![\w/\"])(?!\s*(?:/|pulgadas?|litros|l|m|mm|cm|hp|degrees?|grados?|de\s+(?:\d|[a-z]+ \d)))"
)
# "el de 3/4", "la de 1100 litros", "el de urrea": choosing by an attribute.
OPTION_BY_ATTRIBUTE = re.compile(r"(?:^|(?<=\s))(?:el|la|los|las|uno|una) (?:de|del|que (?:es|son|sea|sean|este|esten|"
                                 r"salga|salgan|tenga|tengan)(?: de)?) (?P<hint>(?!en medio)[^,]+)")
# "el mas barato", "la mas grande": choosing by a comparison.
OPTION_SUPERLATIVE = re.compile(
    r"(?:^|(?<=\s))(?:el|la|los|las|the)(?: opcion| option| one)?(?: que (?:este|esten|sea|sean|salga|salgan))?"
    r" (?:de )?"
    r"(?P<hint>(?:mas|menos|menor|cheapest|cheaper|lowest|lower|least|most|biggest|smallest)\b[^,]*"
    r"|(?:barat|economic)[oa]s?\b[^,]*)"
)
OPTION_MIDDLE = any_of(r"(?:el |la )?de en ?medio", r"el del medio", r"la del medio", r"middle(?: one)?")
# "ese", "esa", "ese mero", "this one": the option the customer is looking at.
# Said alone: "esta semana les pago" is no pick, nor is "esta bien".
OPTION_DEMONSTRATIVE = re.compile(
    r"^(?:ese|esa|este|eso|that|this)(?: mero| mera| merito| merita| one| de ahi| mismo| misma)?(?:$|\s,)"
)
# "la rotoplas": an article and a short attribute, said alone.
OPTION_ARTICLE = re.compile(r"^(?:el|la|los|las|the) (?P<hint>[a-z0-9/\" ]{2,30}?)(?: degrees?| grados?)?(?: ones?)?$")

# Words that carry no product meaning at either end of a product query.
EDGE_STOPWORDS = frozenset({
    "de", "del", "el", "la", "los", "las", "un", "una", "unos", "unas", "me", "que", "en", "a", "al", "y", "si",
    "por", "para", "mi", "tu", "su", "sus", "the", "an", "for", "on", "some", "any", "of", "porfavor", "como",
    "otros", "otras", "otro", "otra", "pues", "tambien", "ustedes", "you", "please", "aun", "todavia", "no",
    "solo", "mas", "o", "ahi", "mejor", "is", "ya", "lo", "le", "les", "can", "tal", "with", "do",
})

# "apártamelos", "mándamelo": take what was just quoted.
# A yes said in so many words, next to "déjalo así" ("así déjalo, confirmo"); "sale" may be "sale muy caro",
# "ok" may only acknowledge an edit ("ok, nomás una bomba").
CONFIRM_WORD = any_of(r"confirm\w*", r"procede", r"adelante", r"mandal[oa]s?", r"envial[oa]s?", r"dale")
# "apárteme uno", "send me one": one of what was just talked about.
ONE_LEFT = re.compile(r"\s(?:uno|una|one)$")
TAKE_IT = any_of(r"(?:aparta|manda|envia|pon|separa|guarda|pasa|surte|trae|da)(?:me|nos)?(?:lo|los|la|las)",
                 r"(?:lo|los|la|las) (?:quiero|llevo)")

# Words that point back at the product just talked about ("esas helvex", "20 de esa").
DEMONSTRATIVES = frozenset({"ese", "esa", "esos", "esas", "este", "esta", "estos", "estas", "that", "those", "this"})

# --- edits of an open draft order ----------------------------------------------------------

_COUNT = r"(?:\d{1,6}|" + "|".join(sorted((w for w in NUMBER_WORDS if " " not in w), key=len, reverse=True)) + r")"
# "quitale las tees", "ya no quiero los codos", "sin el tinaco", "take out the elbows".
REMOVE = re.compile(
    r"(?<![\w/])(?:quitale|quitales|quita|quitame|quitar|quiten|quitenle|elimina|eliminale|borra|borrale|"
    r"omitir|omite|omitan|omita|omitanos|omitenos|excluir|excluyan|excluye|"
    r"sacale|saca|retira|cancela|cancelame|cancelale|restale|"
    r"(?:bajale|bajales)(?= \d{1,5} (?:a|de) (?:los|las|el|la) )|"
    r"ya no (?:quiero|ocupo|necesito|me mandes|mandes|van)|"
    r"mejor sin|sin(?= (?:el|la|los|las) )|"
    r"no (?:quiero|ocupo|necesito|requiero|requerimos|necesitamos|ocupamos|queremos)(?= (?:el|la|los|las) )|"
    r"(?:mejor|siempre|pero|que) no(?= (?:el|la|los|las) |\s" + PRODUCT.pattern + r")|remove|take out|drop|"
    r"no more)"
    r"\s+(?P<target>(?!(?:nada|eso|todo|el pedido|mi pedido|pedido|iva|factura)\b)[a-z0-9/\" ]{2,60}?)"
    r"(?=\s*(?:,|$|\sy\s|\sporfavor|\splease|\spero|\smejor|\sponle|\sagrega|\sand\s|\sbut\s"
    r"|\s(?:solo|nomas|nada mas) (?:lo demas|el resto)))"  # "sin el pegamento, nomás lo demás"
)
# "los coples quítalos", "las tees sácalas": the line named first
REMOVE_NAMED_FIRST = re.compile(
    r"(?:^|(?<=\s))(?:y )?(?:los|las|el|la) (?P<target>(?:(?! y )[a-z0-9/\" ]){2,40}?) (?:mejor )?(?:quita|quitame|"
    r"quitale|saca|sacame|elimina|borra|cancela)(?:se)?(?:los|las|lo|la)(?=\s|$)"
    # "y a los tapones quítales 4": that many fewer of the line named
    r"|(?:^|(?<=\s))(?:a|de) (?:los|las|el|la) (?P<less_of>(?:(?! y )[a-z0-9/\" ]){2,40}?) "
    r"(?:quitale|quitales|bajale|bajales|restale|restales|sacale|sacales) (?P<fewer>\d{1,5})(?=\s|$|\s?,)"
    r"|(?:^|(?<=\s))(?:los|las|el|la) (?P<named>[a-z0-9/\" ]{2,40}?) (?:ya )?no (?:los|las|lo|la) "
    r"(?:quiero|ocupo|necesito|mandes)(?=\s|$)"
    # "las llaves siempre no, mejor…": the Mexican "siempre no" takes back what was asked
    r"|(?:^|(?<=\s))(?:los|las|el|la) (?P<taken>[a-z0-9/\" ]{2,40}?) (?:(?:siempre|mejor|ya) no|nel|no)"
    r"(?=\s*(?:,|$|\smejor|\sy\s))(?!\s*,?\s*(?:el|la|los|las) (?:otr[oa]s?|de)\b)")
# "no, siempre sí ponlos", "mejor sí ponle los kits", "regrésale las tees": a line taken out, put back
RESTORE = re.compile(
    r"(?:^|(?<=\s))(?:(?:siempre|mejor|pensandolo bien|ahora|ya) si\b(?: ,)?\s+(?:(?:ponle|ponles|pon|ponme|ponlos|"
    r"ponlas|ponlo|ponla|dejale|dejales|dejalos|dejalas|dejalo|dejala|deja|mandalos|mandalas|mandame|incluyelos|incluyelas|"
    r"incluye|agregalos|agregalas|agregale|agrega)\b(?:\s+(?P<target>(?:los|las|el|la) [a-z0-9/\" ]{2,40}?))?|"
    r"(?P<named>(?:los|las|el|la) [a-z0-9/\" ]{2,40}?))"
    r"|(?:regresale|regresales|regresalos|regresalas|regresa|vuelve a poner(?:le|les|los|las)?|vuelvelos a poner|"
    r"vuelvelas a poner|put (?:them|it) back|add (?:them|it) back|put back|add back)"
    r"(?:\s+(?P<back>(?:los|las|el|la|the) [a-z0-9/\" ]{2,40}?))?"
    # "las pericas sí ponlas otra vez", "put the switches back in"
    r"|(?P<again>(?:los|las|el|la) [a-z0-9/\" ]{2,30}?) si (?:ponlos|ponlas|ponlo|ponla|dejalos|dejalas|mandalos|"
    r"mandalas|agregalos|agregalas|incluyelos|incluyelas)(?: otra vez| de nuevo)?"
    r"|(?:put|add) (?P<put>the [a-z0-9/\" ]{2,30}?) back(?: in| on)?)"
    r"(?=\s*(?:,|$|\sy\s|\sporfavor|\splease|\sya\s|\stambien|\sque\s|\sq\s|\sin\b|\son\b|\spero\s|\sbut\s))")
# A product noun said bare, as the line an edit is about ("codos mejor 50", "tees mejor de 2").
_NOUN = PRODUCT.pattern
# "de los coples ponle 20", "cambia los coples a 20", "no!! eran 10 tees", "mejor que sean 30", "make it 30":
# the patterns naming a line come first, so "de los coples mejor que sean 30" is about the coples.
CHANGE_QUANTITY = (
    # "no eran 12 eran 15", "no son 10, son 12": the line last talked about, the right count
    re.compile(rf"(?:^|(?<=\s))no (?:eran|era|son|es|fueron) {_COUNT}(?: ,)? (?:eran|era|son|es|sino|mas bien) "
               rf"(?P<q>{_COUNT})\b(?! [a-z])"),
    # "no perdón, 30 no, 35": the count said last taken back, the right one after it
    re.compile(rf"(?:^|(?<=\s))(?<!de ){_COUNT} no\s?,? (?:(?:mejor|sino|son|eran|perdon)\s?,? )*(?P<q>{_COUNT})$"),
    # "no eran doce yees eran quince": the count taken back with the line, then the right one
    re.compile(rf"(?:^|(?<=\s))no (?:eran|era|son|es|fueron|van) {_COUNT} "
               rf"(?P<target>[a-z]{{3,}}(?: [a-z0-9/\"]+){{0,2}}?)(?: ,)? "
               rf"(?:eran|era|son|es|sino|si no|van|mas bien) (?P<q>{_COUNT})\b"),
    # "mejor cpl 30", "actually gate valves x15": the line named, then its new count
    re.compile(rf"(?:^|(?<=\s))(?:mejor|actually|ahora|que sean|nomas) (?P<target>{_NOUN}(?: [a-z0-9/\"]+)?) "
               rf"(?:x |por )?(?P<q>{_COUNT})(?=\s*(?:,|$))"),
    # "mejor 40 de cada uno", "make it 20 each": every line that many
    re.compile(rf"(?:^|(?<=\s))(?P<q>{_COUNT})(?: (?:piezas|tramos|rollos|unidades|pieces))? (?:de |of )?"
               rf"(?P<target>cada uno|cada una|each)\b"),
    # "en los coples, modifica la cantidad a 20", "de los tubos cambia la cantidad a 4"
    re.compile(rf"(?:en|de|para|a) (?:los|las|el|la) (?P<target>[a-z](?:(?! y )[a-z0-9/\" ]){{1,40}}?)(?: ,)? "
               rf"(?:modifica|cambia|ajusta|corrige|deja|pon|ponle|ponles|sube|subele|subeles|baja|bajale|bajales)"
               rf"(?: la cantidad| las piezas)? (?:a|en) "
               rf"(?P<q>{_COUNT})\b"),
    re.compile(rf"(?:modifica|cambia|ajusta|corrige) la cantidad de (?:los|las|el|la) "
               rf"(?P<target>[a-z](?:(?! y )[a-z0-9/\" ]){{1,40}}?) (?:a|en|por) (?P<q>{_COUNT})\b"),
    # "que los codos sean 50", "y que las llaves sean 8"
    re.compile(rf"(?:^|(?<=\s))que (?:los|las|el|la) (?P<target>[a-z](?:(?! y )[a-z0-9/\" ]){{1,40}}?) "
               rf"(?:sean|seran|queden en) (?P<q>{_COUNT})\b(?! de)"),
    re.compile(rf"(?:^|(?<=\s))(?:del |de (?:los |las |el |la )?|(?:(?:a|y) )?(?:los|las|el|la) |(?={_NOUN}))"
               rf"(?P<target>[a-z](?:(?! y )[a-z0-9/\" ]){{1,40}}?),? "
               rf"(?:ponle|ponles|ponganle|ponganles|ponme|pon|mejor|eran|era|hazlos|hazlas|hazlo|hazla|ponlos|ponlas|"
               rf"nomas|nada mas|namas|unicamente|solamente|"
               rf"que sean|que sea|dejalo en|dejalos en|cambialo a|cambialos a|son|seran|mandame|solo|nomas|"
               rf"deben ser|deberian ser|van a ser|seran|considera|consideren|"
               rf"(?:sube|baja)(?:l[oa]s?|les?) a)"
               rf"(?: nomas| solo| nada mas)? "
               rf"(?P<q>{_COUNT})\b"),
    re.compile(rf"(?:cambia|cambiale|cambiame|modifica|sube|subele|baja|bajale|ajusta|ajustale|corrige|deja) "
               rf"(?:los|las|el|la|de|a) "
               rf"(?P<target>[a-z][a-z0-9/\" ]{{1,40}}?) (?:a|por) (?P<q>{_COUNT})\b(?! de)"),
    re.compile(rf"(?:^|(?<=\s))(?:eran|son|era|fueron|seran|van a ser) (?P<q>{_COUNT}) "
               rf"(?P<target>[a-z][a-z0-9/\" ]{{1,40}})"),
    re.compile(rf"(?:mejor |que |nada mas |nomas |solo )*sean (?P<q>{_COUNT})(?: (?P<target>[a-z](?:(?! y )[a-z0-9/\" "
               rf"]){{1,40}}))?"),
    re.compile(rf"(?:^|(?<=\s))(?:no ,? )?(?:mejor|solo|nomas|nada mas|ahora|entonces|mejor solo)"
               rf"(?: (?:ponle|ponles|que sean|sean))? (?P<q>{_COUNT})"
               rf"(?: (?P<target>[a-z][a-z0-9/\" ]{{1,40}}))?$"),
    # "considera 30 coples en lugar de 20": the new count, instead of the old
    re.compile(rf"(?P<q>{_COUNT}) (?P<target>[a-z][a-z ]{{1,30}}?) en (?:lugar|vez) de \d{{1,5}}\b"),
    # "nomás una bomba, los 2 electroniveles sí", "déjalo en 6": one line's new count, said amid the rest
    re.compile(rf"(?:^|(?<=\s))(?:solo|nada mas|unicamente) (?P<q>{_COUNT}) (?P<target>{_NOUN})(?=\s*(?:,|$))"),
    re.compile(rf"(?:^|(?<=\s))(?:dejalo|dejalos|dejala|dejalas) en (?P<q>{_COUNT})\b"),
    # "mmm entonces bájale a 15": the line last talked about, that many
    re.compile(rf"(?:^|(?<=\s))(?:bajale|bajales|bajalo|bajalos|subele|subeles|subelo|subelos|reducelo|reducelos) "
               rf"(?:a|en) (?P<q>{_COUNT})\b(?! de)"),
    # "tramos 25", "cajas 4": the one line sold in that unit, that many
    re.compile(rf"^(?P<target>tramos|rollos|cajas|metros|kilos|cubetas|juegos|bultos|galones) (?P<q>{_COUNT})$"),
    # "actually make it 4 rolls of the 14": the line of the 14, four
    re.compile(rf"make (?:it|them) (?P<q>{_COUNT}) (?:[a-z]+ )?of the (?P<target>[a-z0-9/\"][a-z0-9/\" ]{{0,30}}?)"
               r"(?=\s*(?:,|$))"),
    re.compile(rf"make (?:it|them) (?P<q>{_COUNT}) (?P<target>[a-z][a-z ]{{1,30}})"),
    re.compile(rf"(?:make it|change (?:it|the (?P<target>[a-z ]{{1,30}})) to) (?P<q>{_COUNT})\b"),
    re.compile(rf"make the (?P<target>[a-z0-9/\"][a-z0-9/\" ]{{1,30}}?) (?P<q>{_COUNT})\b"),
    re.compile(rf"make (?P<target>{_NOUN}) (?P<q>{_COUNT})\b"),
    re.compile(rf"(?:^|(?<=,\s)|(?<=\sy\s))(?:ponle|ponme|pon|dejalo en|dejalos en|que sean|sean|son|por) "
               rf"(?P<q>{_COUNT})(?=\s*(?:$|,))"),
    # "corte 30", "sellador 2": the drafted line that word names, that many (a new line when none is)
    re.compile(rf"^(?!(?:make|eran|era|son|que|mejor|ponle|ponme|agrega|agregale|sean|solo|nomas|tambien|tmb|otros|"
               rf"otras|mas|dame|mandame|manda|send|add|quiero|ocupo|necesito)\b)"
               rf"(?P<target>[a-z]{{3,}}(?: [a-z]{{3,}})?) (?P<q>{_COUNT})$"),
)
# "cambia el de cobre por uno de pvc", "en vez de las tees de cobre mejor de pvc", "las tees que sean de 3/4".
_NOT_A_VARIANT = (r"(?!(?:mandame|ponle|ponme|dame|quitale|quita|agregale|agrega|no|si|ya|tambien|luego|que|sean|son|"
                  r"solo|nomas|nada|solamente|unicamente|todo|todos|todas)\b|(?:cambi|quit|pon|mand|sac|borr)[a-z]*(?:lo|la|los|las)\b)")
_REPLACE_VERBS = ("mejor|mandame|ponme|quiero|dame|pon|manda|ocupo|necesito|mejor mandame|mejor dame|pasame|enviame|"
                  "surteme|mejor pasame|ponle|mejor ponle")
_A_SIZE = r"(?:(?:\d{1,2} )?\d{1,2}/\d{1,2}\"?|\d{1,2}(?![\d/])\"?)"
# a size, or a measure that tells variants apart ("5 de 10 años y 3 de 5 años" of a waterproofing)
_A_VARIANT = rf"(?:\d{{1,3}} (?:anos|metros|mts|m|litros|lts|l|kg|cm|mm|watts|w)(?![a-z])|{_A_SIZE})"
# "las tees hazlas 20 de 3/4 y 20 de 1/2": one line split in two sizes (the first replaces it, the second is added)
SPLIT = re.compile(r"(?:^|(?<=\s))(?:(?:de |en )?(?:los|las|el|la) (?!haces\b|hace\b|pones\b|mandas\b|dejas\b)"
                   r"(?P<target>[a-z][a-z0-9/\" ]{1,30}?)(?: ,)? )?"
                   r"(?:(?:mejor|hazlos|hazlas|hazmelos|hazmelas|me (?:los|las) haces|me (?:los|las) mandas|que sean|"
                   r"ponlos|ponlas|ponme|pon|mandame|dividelos en|dividelas en|"
                   r"mejor que sean|partelos en|mitad y mitad|que vengan)\s+)*"
                   rf"(?P<q1>\d{{1,5}}) de (?P<s1>{_A_VARIANT}) (?:y|,) "
                   rf"(?P<q2>\d{{1,5}}) de (?P<s2>{_A_VARIANT})(?=\s|$|,)")
REPLACE = (
    # "ah y las mangueras eran de 30 metros no de 15": that line, in the measure said first
    re.compile(r"(?:^|(?<=\s))(?:los|las|el|la) (?P<target>[a-z]{3,}) (?:eran|era|son|es|van|iban) "
               r"(?P<new>de \d{1,4} ?(?:metros|m|mts|litros|l|lts|hp|kg|w))\s*,?\s*no (?:de )?\d{1,4}\b"),
    # "perdón, las de esfera de 1 no de 1/2", "de 3/4 no de 1/2": the line said, in the size said first
    re.compile(r"(?:^|(?<=\s))(?:(?:los|las|el|la) (?P<target>[a-z](?:(?! y )[a-z0-9/\" ]){1,30}?) )?"
               rf"(?P<new>(?:de|en) {_A_SIZE})(?: ,)? no (?:de|en) {_A_SIZE}(?=\s|$|,)"),
    # "las tees que sean de 3/4", "los codos mejor de cobre", "los apagadores mejor sencillos"
    re.compile(r"(?:^|(?<=\s))(?:(?:los|las|el|la) |(?=" + _NOUN + r"))(?P<target>[a-z](?:(?! y )[a-z0-9/\" ]){1,30}?) "
               r"(?:, )?(?:mejor que sean|que sean|tambien|igual|mejor|hazlos|hazlas|hazlo|hazla|ponlos|ponlas|"
               r"deben ser|deberian ser|"
               r"que fueran|que sea|cambialos a|cambialas a) (?P<new>(?:de |en )?(?:\d{1,2} )?\d{1,2}/\d{1,2}\"?"
               r"|(?:de |en )\d{1,2}(?![\d/])\"?|(?:de |en )?(?:(?:los|las|el|la) )?" + _NOT_A_VARIANT
               + r"[a-z][a-z0-9]{2,}(?: de [a-z0-9]+| " + _NOT_A_VARIANT + r"(?!porfa|porfavor|plis|gracias|pls)"
               r"[a-z]{4,}(?=$|\s*,))?)"  # "los silicones q sean los sanitarios blancos"
               r"(?=\s|$|,)"),
    # "no perdón, las tees de 3/4", "no, el tubo es de cobre": a no that corrects a line's detail
    re.compile(r"^(?:no|nel|perdon|espera|oops|error|me equivoque)(?:(?: ,)? (?:no|perdon|espera|disculpa|"
               r"me equivoque|error|mejor))*(?: ,)? (?:(?:los|las|el|la) |(?=" + _NOUN + r"))"
               r"(?P<target>[a-z](?:(?! y )[a-z0-9/\" ]){1,30}?) "
               r"(?:son |eran |era |es )?"
               r"(?P<new>(?:de |del (?=\d)|en )(?:(?:\d{1,2} )?\d{1,2}/\d{1,2}\"?|\d{1,2}(?![\d/])\"?|" + _NOT_A_VARIANT
               + r"[a-z][a-z0-9]{2,}(?: de [a-z0-9]+)?))(?=$| , (?:el|la|los|las) )"),
    # "perdón no eran coples, eran codos de 90": the line named, for the product said after it
    re.compile(r"(?:^|(?<=\s))no (?:eran|era|son|es|quiero|queria) (?:los |las |el |la )?(?P<target>" + _NOUN
               + r"(?: [a-z0-9/\"]+){0,3}?) ,? (?:eran|era|son|es|sino|si no|mas bien|quise decir|queria) "
               r"(?P<new>(?:(?! y (?:el|la|los|las) )[a-z0-9/\" ]){2,60}?)(?= ,|$)"),
    # "no, el codo no, el otro, el de 45": that line, in the other variant
    re.compile(r"(?:^|(?<=\s))(?:el|la|los|las) (?P<target>[a-z][a-z0-9/\" ]{1,30}?) no ,? (?:(?:el|la) otr[oa] ,? )?"
               r"(?:el|la|los|las) (?P<new>de [a-z0-9/\" ]{1,30}?)$"),
    # "que las tees sean cpvc", "no mejor que los codos sean de 45": the line named, in another variant
    re.compile(r"(?:^|(?<=\s))que (?:los|las|el|la) (?P<target>[a-z](?:(?! y )[a-z0-9/\" ]){1,30}?) (?:sean|fueran) "
               r"(?P<new>(?:de |en )?(?:\d{1,2} )?\d{1,2}/\d{1,2}\"?|(?:de |en )\d{1,2}(?![\d/])\"?"
               r"|(?:de |en )?" + _NOT_A_VARIANT + r"[a-z][a-z0-9]{2,}(?: de [a-z0-9]+)?)(?=\s|$|,)"),
    # "mejor el impermeabilizante de 10 años": the line named, in another variant
    re.compile(r"(?:^|(?<=\s))mejor (?:(?:el|la|los|las) |(?=" + _NOUN + r"))(?P<target>[a-z]{3,}) "
               r"(?P<new>(?:de|en) [a-z0-9/\" ]{1,30}?)(?=\s,|$)"),
    # "actually make the 14s the 18 inch ones", "switch the pvc ones to copper": that line, in the other variant
    re.compile(r"(?:^|(?<=\s))(?:make|change|switch|swap) the (?P<target>[a-z0-9/\" ]{1,30}?)(?: s| ones?)? "
               r"(?:to |for |into )?(?:the )?(?P<new>(?:\d{1,2} )?\d{1,2}/\d{1,2}\"?|\d{1,2}\"|pvc|cpvc|copper|"
               r"galvanized|brass|cobre)(?: ones?)?(?=$| ,)"),
    # "cambia los codos a 45", "favor de cambiar las tees a 2\"", "cambia las tees a cpvc": the line in another variant
    re.compile(r"(?:cambia|cambiale|cambiame|modifica|pasa) (?:los|las|el|la) (?P<target>[a-z][a-z0-9/\" ]{1,30}?) a "
               r"(?P<new>(?:de )?(?:45|90)(?! (?:piezas|pzas|tramos|rollos|unidades))"
               r"|(?:los |las |el |la )de \d{1,4}(?![\d/])\"?"  # "cambia las stilson a las de 18"
               r"|(?:de )?(?:\d{1,2} )?\d{1,2}/\d{1,2}\"?"
               r"|(?:de )?\d{1,2}\"|(?:de )?" + _NOT_A_VARIANT + r"(?:pvc|cpvc|cobre|galvanizad[oa]s?|tuboplus|bronce|"
               r"sanitari[oa]s?|hidraulic[oa]s?))(?=\s|$|,)"),
    # "los coples de cobre cámbialos por pvc"
    re.compile(r"(?:^|(?<=\s))(?:el|la|los|las) (?P<target>[a-z0-9/\" ]{2,40}?) (?:mejor )?(?:cambial[oa]s?|"
               r"cambiamel[oa]s?) (?:por|x|a|al) (?P<new>(?:(?! y (?:el|la|los|las) )[a-z0-9/\" ]){2,60})"),
    re.compile(r"(?:cambia|cambiame|cambiale|cambiar|cambien|reemplaza|mejor cambia) (?:el|la|los|las) "
               r"(?P<target>[a-z0-9/\" ]{2,40}?) por (?P<new>[a-z0-9/\" ]{2,60})"),
    # "mmm y si mejor de 3/4?", "siempre sí de 3/4", "no, mejor en cobre": the line last talked about, in that
    # detail
    re.compile(r"^(?:(?:m+|y|no|nel|pues|ah|uy|chin|este|ok|oye|sabes que|bueno|perdon|entonces)(?: ,)? )*"
               r"(?:y si |y que tal si |que tal si )?(?:mejor|siempre si|siempre no|mejor que sea|mejor que sean|"
               r"que sea|que sean|better|make it|make them|dejal[oa]s?|ponl[oa]s?|hazl[oa]s?|damel[oa]s?|"
               r"mandamel[oa]s?)"
               r"(?: (?:damel[oa]s?|mandamel[oa]s?|ponmel[oa]s?))?(?: ,)? (?P<target>)"
               r"(?P<new>(?:de|en|in) (?:(?!\bno\b|\bpero\b|\bbut\b)"
               r"[a-z0-9/\" ]){1,20}?)(?: mejor)?(?= ,|$)"),
    # "ay no, de 1/2 las brocas": that line, in the detail said first
    re.compile(r"^(?:(?:ay|uy|ah|no|nel|perdon|espera|oops)(?: ,)? )+"
               r"(?P<new>(?:de|en) (?:\d{1,2} )?\d{1,2}(?:/\d{1,2})?\"?|(?:de|en) [a-z]{3,}) (?:los|las|el|la) "
               r"(?P<target>[a-z]{3,})$"),
    # "no siempre no, de 15 mejor": the line last talked about, in the detail said before "mejor"
    re.compile(r"^(?:(?:no|nel|siempre no|perdon|espera)(?: ,)? )*(?P<target>)"
               r"(?P<new>de (?:\d{1,2} )?\d{1,3}(?:/\d{1,2})?\"?(?: [a-z]+)?) mejor(?= ,|$| y )"),
    # "nel, entonces cámbialo por 12 de 1 1/2": that line, in the detail said, that many
    re.compile(r"^(?:(?:y|ok|no|nel|mejor|entonces|pues|oye)(?: ,)? )*(?:cambialo|cambiala|cambialos|cambialas|"
               r"cambiamelo|cambiamelos|cambiamela|cambiamelas) (?:por|a) (?P<target>)"
               r"(?P<new>\d{1,5} (?:de|en) [a-z0-9/\" ]{1,20}?)$"),
    # "sabes q mejor házmelos en tuboplus, mismas cantidades": every line, in that variant
    re.compile(r"(?:^|(?<=\s))(?P<target>)(?P<every>hazmelos|hazmelas|hazlos|hazlas|ponmelos|ponmelas|mandamelos|"
               r"mandamelas|cambiamelos|cambiamelas|cambialos|cambialas|pasalos|pasalas) (?:todos |todas )?"
               r"(?:(?:a|al|por) )?"  # "cámbialos a cpvc, es pa agua caliente": the material alone, what is said after
               r"(?P<new>(?:en|de) [a-z0-9/\" ]{1,20}?|(?:pvc|cpvc|cobre|galvanizad[oa]s?|galv|tuboplus|ppr|bronce|"
               r"sanitari[oa]s?|hidraulic[oa]s?)(?= ,|$| es | porque | pq | pa | para ))"
               r"(?: , )?(?: (?:con )?(?:las )?mismas cantidades| igual)?(?= ,|$| es | porque | pq | pa | para )"),
    # "nel, mejor el otro", "no, la otra": the option not picked, for the line last picked among options
    re.compile(r"^(?:(?:m+|y|no|nel|pues|ah|mejor|sabes que|bueno|perdon)(?: ,)? )*(?P<target>)"
               r"(?P<new>(?:el|la|los|las) otr[oa]s?|the other(?: one| ones)?)(?: mejor| porfavor| please)?$"),
    # "el primero cámbialo, mejor 2 bombas centrífugas de 1 hp": the line at that position, for the one said
    re.compile(r"(?:^|(?<=\s))(?:el|la) (?P<target>primer[oa]?|segund[oa]|tercer[oa]?|ultim[oa]) (?:cambialo|cambiala|"
               r"cambiamelo|cambiamela|cambiale)(?: ,)? (?:mejor |por )?(?P<new>[a-z0-9/\" ]{2,60}?)(?= ,|$)"),
    # "en vez de los coples de 2 dame tees de 2": the new line after a comma or an order verb
    re.compile(r"en (?:vez|lugar) de (?:(?:el|la|los|las) )?(?P<target>[a-z0-9/\" ]{2,40}?)"
               r" (?:, (?:" + _REPLACE_VERBS + r" )?|(?:" + _REPLACE_VERBS + r") )"
               r"(?P<new>[a-z0-9/\" ]{2,60}?)(?= ,|$)"),
    # "todo ponlo de 1 pulgada", "todos en cpvc": every line, in that variant
    re.compile(r"(?:^|(?<=\s))(?:mejor )?(?P<target>todo|todos|todas)(?: (?:ponlo|ponlos|ponmelo|ponmelos|mandalo|"
               r"mandamelo|mandamelos|cambialo|cambialos|que sea|que sean|mejor|eso|esto|lo demas))* "
               r"(?P<new>(?:de|en) [a-z0-9/\" ]{1,20}?)"
               r"(?: mejor)?(?: (?:con )?(?:las )?mismas cantidades| igual)?"
               r"(?= ,|$| (?:que|porque|ya que|pues|xq) [a-z ]+$)"),
    # "cambia a cobre", "switch them to copper": the lines that have it, in that material or brand
    re.compile(r"^(?:(?:y|ok|mejor|entonces|pues|oye)(?: ,)? )*(?:cambia|cambialo|cambialos|cambiala|cambialas|"
               r"cambiamelo|cambiamelos|change|switch)(?: (?:todo|them|it|everything))? (?:a|al|por|to) "
               r"(?P<target>)(?P<new>(?!\d)[a-z0-9/\" ]{2,20}?)$"),
    re.compile(r"(?:cambia|cambiame|cambiale|pon|ponme|manda|mandame) (?P<target>todo|todos|todas) (?:a|de|en) "
               r"(?P<new>[a-z0-9/\" ]{1,20}?)(?=\s,|$)"),
    re.compile(r"(?:replace|swap) the (?P<target>[a-z0-9/\" ]{2,40}?) (?:with|for) (?P<new>[a-z0-9/\" ]{2,60})"),
    # "ok swap them for the cinsa ones": the line last talked about, in the variant named
    re.compile(r"(?:swap|replace|change|switch) (?:them|it|those|that|these)(?P<target>) (?:for|with|to) (?:the )?"
               r"(?P<new>[a-z0-9/\" ]{2,40}?)(?: ones?)?(?=\s,|$)"),
)
# Adding to what is already there: "agregale 10 codos", "tambien 5 tees", "y ponle 3 tubos".
ADD = any_of(r"agregale", r"agregame", r"agrega", r"agregar", r"agreguen", r"anadele", r"anade", r"anademe",
             r"sumale", r"ponle tambien", r"tambien", r"ademas", r"aparte", r"y tambien", r"add", r"also",
             r"plus", r"otr[oa]s")

# --- answers to a stock offer ---------------------------------------------------------------

STOCK_ONLY = any_of(
    r"(?:los|las|lo) (?:\d+ )?que (?:tengas|tengan|tenga|tienes|tienen|tiene|haya|hay|quede|queden|alcance)",
    r"(?:solo |nomas |nada mas )?(?:los|las|lo) disponibles?", r"(?:solo|nomas|nada mas) (?:los|las|lo) que",
    r"what you have", r"whatever you (?:have|got)",
    r"(?:the )?(?:quantity|amount|units?|pieces) (?:available|in stock)",
    r"(?:the )?available (?:quantity|amount|units|pieces|stock)", r"what(?:ever)? is available",
    r"(?:la )?cantidad disponible", r"(?:solo|nomas|nada mas) (?:los|las) \d{1,5}(?: [a-z]+)?(?= ,|$)",
    r"(?:los|las) \d{1,5} (?:nomas|nada mas|solamente|solo)(?= ,|$)",
    r"(?:just|only) (?:send |ship )?(?:me )?(?:the )?\d{1,5}(?: [a-z]+)?(?: then| now| please| for now)*$",
    r"(?:send|ship) (?:me )?(?:just|only) (?:the )?\d{1,5}",
    r"(?:las|los) (?:\d{1,5} )?disponibles", r"just the available",
    r"(?:all|what) you got",
    r"(?:send|give me|ship) (?:me )?(?:just |only )?the \d{1,5} (?:you )?(?:have|got)",
    # "mándame los 5 nomás", "solo las 24": the count offered, with the article it was offered with
    r"^(?:(?:mandame|dame|enviame|manda|separame|apartame|aparta|va|ok|si|pues|entonces|ah|bueno|dale|sale|y|no|mm|"
    r"mejor) "
    r"(?:, )?)*"
    r"(?:solo |nomas |nada mas )?(?:los|las) \d{1,5}"
    r"(?: (?:nomas|nada mas|solamente|solo|porfavor|que hay|que tienes|que tengas|por ahora|gracias))*$",
    r"(?:just|only) (?:the )?\d{1,5}", r"(?:send|give me|ship) (?:me )?(?:just |only )?the \d{1,5}(?! [a-z])",
)
# "ocupo 10, mándame los 7 y los otros 3 cuando lleguen": the rest said with the order, before any offer
# (stricter than an answer to an offer: "pendiente" or "cuando llegue" alone say something else there)
REST_WITH_ORDER = any_of(
    r"el resto", r"lo restante", r"los restantes", r"lo que falta",
    r"(?:los|las) (?:\d{1,5} )?(?:que|q) (?:faltan|falten)",
    r"(?:los|las) otr[oa]s(?: \d{1,5})? (?:cuando|despues|luego|en cuanto)", r"lo demas (?:cuando|despues|luego)",
    r"the rest", r"the (?:other|remaining) \d{1,5}",
)
# where what is said of the stock starts: "…, mándame los 7 y…", "…, send the 10 now and…", "…, lo que tengas y…"
STOCK_SAID_FROM = re.compile(
    r"(?:,\s*|\s)(?:(?:y|and|pero|but)\s+)?(?:(?:mandame|mandeme|dame|enviame|send|ship|give me)\s+)?(?:me\s+)?"
    r"(?:(?:los|las|the) \d{1,5}\b|(?:lo|los|las) (?:que|q) (?:tengas|tengan|tienes|haya|hay)|what you have"
    r"|si no (?:hay|tienes|tienen)|if you don t have)")
# "sin pendientes", "el resto no", "no backorder": the backorder words said to turn it down
STOCK_BACKORDER_REFUSED = any_of(
    r"(?:sin|nada de|no (?:quiero|me dejes|dejes|dejen)?\s*) ?"
    r"(?:pendientes?|backorders?|el resto|lo demas|lo que falta)",
    r"(?:pendientes?|el resto|lo demas|lo que falta|backorders?)\s*,?\s*no\b", r"no backorders?",
    r"(?:lo|los|las) (?:consigo|compro|busco|conseguimos|compramos|buscamos) (?:(?:en|por) otro lado|aparte|por fuera|"
    r"en otra parte)",
    r"(?:skip|forget|drop|cancel|no need for|without) the rest", r"(?:no me dejes |sin )?nada (?:de )?pendientes?",
    r"(?:without|no need for) (?:a |the )?(?:backorder|rest)",
)
STOCK_BACKORDER = any_of(
    # "lo demás" is the backorder when it waits for something ("…y lo demás cuando llegue"), not "lo demás sí, completo"
    r"el resto",
    r"(?:lo|los|las) demas(?= (?:cuando|despues|luego|sobre|bajo|por|pendientes?|al rato|me l[oa]s? mandas)|$)",
    r"lo que falta", r"(?:los|las) (?:\d{1,5} )?que (?:faltan|falten)", r"lo restante",
    r"(?:los|las) (?:\d{1,5} )?restantes", r"(?:cuando|en cuanto|apenas) (?:te |les )?lleguen?", r"pendientes?",
    r"backorder", r"the rest",
    r"(?:sobre|bajo|por) pedido", r"(?:los|las) otr[oa]s(?: \d{1,5})?(?= (?:despues|luego|cuando|sobre|bajo|por))",
    r"when (?:it|they) arrive", r"when (?:it|they) (?:come|comes|get|gets) in", r"the (?:other|remaining) \d{1,5}",
)

# What pipe and fittings are made of (and the kind of PVC): "codos pvc", "tees de cobre", "tubo sanitario".
MATERIALS = frozenset({"pvc", "cpvc", "cobre", "galvanizado", "galvanizada", "galvanizados", "galvanizadas",
                       "tuboplus", "ppr", "sanitario", "sanitaria", "sanitarios", "sanitarias", "hidraulico",
                       "hidraulica", "hidraulicos", "hidraulicas", "bronce", "copper"})

# --- questions -------------------------------------------------------------------------------

TOPICS: dict[str, re.Pattern[str]] = {
    "order_status": any_of(
        r"cuando (?:me |nos )?(?:llega|llegan|llegaria|llegarian|llegara|entregan|entregarian|mandan|surten)",
        r"en cuanto (?:tiempo |dias )?(?:me |nos )?(?:llega|llegan|llegaria|entregan)",  # "¿y en cuánto me llega?"
        r"(?:a|como a) que (?:hora|hr|hrs) (?:me |nos )?(?:llega|llegan|llegaria|entregan|pasan|traen)",
        r"cuando (?:me |nos )?(?:estaria|estarian|va a|van a) (?:llegando|llegar|entregando|entregar)",
        r"ya (?:salio|salieron|viene|va en camino|lo mandaron|lo enviaron)", r"(?:estatus|status|estado) de "
                                                                             r"(?:mi|el|nuestro) pedido",
        r"(?:mi|el|nuestro|ese|este) pedido (?:ya|no|aun|todavia|como va|que tal va)",
        r"como va (?:mi|el|ese|este) (?:order|pedido)",
        r"ya (?:lo|los|la|las|me lo|nos lo) (?:estan|andan) "
        r"(?:surtiendo|armando|preparando|empacando|enviando|mandando)",
        r"ya (?:lo|los|me lo) (?:surtieron|armaron|prepararon|empacaron)",
        r"donde (?:viene|va|esta) (?:mi|el) pedido",
        r"rastreo", r"como (?:va|vamos con) (?:mi|el|nuestro|ese) pedido",
        r"que (?:paso|onda|hay) con (?:mi|el|ese) pedido",
        r"ya (?:esta|quedo) (?:mi|el) pedido", r"(?:como va|que paso con|ya salio|ya viene) lo mio",
        r"no (?:me |nos )?ha(?:n)? llegado", r"cuando (?:llega|sale) (?:mi|el) pedido", r"where is my order",
        r"when (?:will|does) (?:it|my order|the order) (?:arrive|ship|come)", r"order status", r"track(?:ing)?",
    ),
    "payment_methods": any_of(
        r"formas? de pago", r"como (?:les |le |te )?(?:pago|puedo pagar|se paga|pagamos)", r"aceptan tarjeta",
        r"tarjeta", *_WHERE_TO_PAY,  # where to pay is a payment-methods question too
        r"datos (?:para|de|pa) (?:la )?(?:pago|pagar\w*)",
        r"(?:la|tu|su) cuenta (?:para|pa) (?:hacer(?:te|les)? )?(?:la )?pagar\w*",
        r"how (?:can|do) (?:i|we) pay", r"payment (?:methods?|options)",
        r"pay by card", r"pay with card", r"oxxo", r"efectivo", r"(?:cuenta|datos) para (?:transferir|depositar|pagar)",
        r"a nombre de quien",
        r"(?:la |tu |su )?cuenta (?:para|pa) (?:transferir\w*|depositar\w*|pagar\w*)",
        r"(?:who|what name) (?:is|should) (?:the account|i pay)",
    ),
    "hours": any_of(
        r"(?:a|hasta) que (?:hora|hr|hrs)(?! (?:me |nos )?(?:llega|llegan|llegaria|entregan|pasan|traen)\b)",
        r"tienen abierto", r"abierto", r"(?:estan|esta) abiertos?", r"que horario",
        r"horarios?",
        r"abren", r"cierran", r"what time", r"opening hours",
        r"business hours", r"hours", r"are you open",
    ),
    "address": any_of(
        r"donde (?:estan|quedan|se ubican|los encuentro|es|esta|queda)", r"ubicad[oa]s?", r"ubicacion", r"direccion",
        r"sucursal(?:es)?", r"recoger\w*", r"where are you", r"address", r"pick ?up",
        r"donde (?:se encuentran|se encuentra|los ubico|tienen la tienda|es la tienda|queda la tienda)",
        r"where (?:is|s) (?:your|the) (?:store|place|shop|location|warehouse|branch|office)", r"location",
        r"where (?:are|r) you(?: guys)? (?:located|at)",
    ),
    "delivery": any_of(
        r"envios?", r"envian", r"costo de (?:envio|entrega)", r"fletes?", r"a domicilio", r"cuanto tarda\w*",
        r"tardan", r"entregas?", r"entregan", r"hacen entregas", r"llevan", r"me lo llevan", r"delivery",
        r"deliver", r"shipping", r"ship(?= to)", r"cuando (?:me |nos )?(?:cae|caen|caeria|caerian)\b",
        # "¿me lo pueden llevar mañana temprano?", "¿pueden traérmelo el viernes?"
        r"(?:lo|la|los|las) (?:pueden|puedes|podrian|podrias|podran) (?:llevar|traer|entregar)",
        r"(?:pueden|puedes|podrian|podrias) (?:llevarmel[oa]s?|traermel[oa]s?|entregarmel[oa]s?|llevarnosl[oa]s?)",
        # "¿me llega mañana?", "¿me lo traen el viernes?": whether it arrives on a day
        r"(?:me |nos )?(?:lo |la |los |las )?(?:llega|llegan|llegaria|llegarian|traen|traerian|entregan|mandan) "
        r"(?:manana|hoy|pasado manana|el (?:lunes|martes|miercoles|jueves|viernes|sabado)|(?:este|el) (?:lunes|martes|"
        r"miercoles|jueves|viernes|sabado))",
    ),
    "invoice": any_of(
        r"(?:el|la|un|una|mi|su) invoice(?! \d)", r"(?:hacen|sacan|dan|manejan|emiten|haces|sacas) (?:el |la )?invoice",
        # "¿me la facturas?" asks for one; "la factura 480" names one
        r"facturar", r"facturan", r"facturame", r"facturamelo", r"me facturas",
        r"(?:(?:me|nos|se) (?:lo|la|los|las)|lo|los) factur(?:as|an|a)\b",
        r"xml", r"rfc", r"datos fiscales", r"cfdi", r"(?:dan|hacen|emiten|manejan|expiden) facturas?",
        r"(?:con|quiero|necesito|ocupo|me das|me dan|requiero|requerimos|mandan|manda|mandame|me mandas|me pasas|"
        r"ocupamos|necesitamos|lleva|llevara) (?:la |una |mi |su )?factura",
        r"factura (?:electronica|del pedido|de mi pedido|de (?:la|esta) compra)", r"(?:an )?invoice (?:for|please)",
        r"need (?:an |the )?invoice", r"(?:do|issue|make|give) (?:an? )?(?:facturas?|invoices?)\b",
        r"dar(?:me|nos|le)? (?:la |una )?factura",
    ),
    "payment_link": any_of(
        r"(?:link|liga|enlace)s? (?:de|para) (?:pago|pagar)", r"(?:link|liga|enlace) (?:del|de mi) pedido",
        r"(?:mandame|pasame|enviame|me mandas|me pasas|me envias|mandenme|manda|pasa) (?:el|la|un|una) "
        r"(?:link|liga|enlace)",
        r"(?:pagar|pago) (?:en linea|con tarjeta|en la pagina)", r"payment link", r"link to pay", r"pay online",
    ),
}
# "cuantos tienen", "cuantos hay de", "how many do you have": a stock figure, not a search.
STOCK_QUESTION = any_of(
    r"cuant[oa]s (?:[a-z0-9/\"]+ ){1,12}?(?:hay|tienen|tienes|tiene|quedan|manejan|tendran|les quedan|te quedan)",
    r"cuant[oa]s (?:tienen|tienes|tiene|hay|quedan|te quedan|les quedan|manejan|tendran|tienen en existencia)",
    r"cuanto (?:tienen|hay) (?:de|en)", r"que tanto (?:tienen|hay)", r"(?:hay|tienen) (?:suficientes?|bastantes?)",
    r"existencias? de", r"how many (?:do you have|are there|in stock|you got)", r"in stock",
    r"(?:que|cuanta) existencias? (?:tienen|hay|tienes|manejan)",
    r"how many (?:[a-z0-9/\"]+ ){1,12}?(?:do you have|are there|are left|you got|have you got)",
    r"(?<=, )(?:and )?(?:how many|cuant[oa]s)(?= ,|$)",  # "¿tienen tubo de cobre? ¿cuántos?"
)
_BOUGHT_HERE = (r"(?:(?:que|q) (?:les?|te) (?:compre|compramos|pedi|pedimos)|(?:me|nos) (?:vendieron|mandaron|"
                r"surtieron|entregaron))\b")
_FAILED = (r"\b(?:(?:ya )?no (?:prende|prenden|enciende|encienden|jala|jalan|calienta|calientan|arranca|arrancan)|"
           r"se (?:quemo|quemaron|descompuso|descompusieron|trabo|trabaron))\b")
# Words a buyer takes back what was just said with ("no espere, mejor 12", "digo 25", "perdón, de 3/4").
INSTEAD = r"(?:perdon|perdone|mejor|espera|espere|esperame|espereme|digo|bueno|o sea)"
COMPLAINT = any_of(
    r"aplastad[oa]s?", r"ponchad[oa]s?", r"(?:llegaron|llego|vinieron|vino) (?:[a-z0-9]+ ){0,4}(?:chuec|doblad)[oa]s?",
    r"(?:y )?yo (?:pedi|habia pedido|les pedi)",
    # "les pedí 20 apagadores sencillos y me mandaron de escalera": what came is not what was asked for
    r"(?:les |le |te )?(?:pedi|pedimos) [a-z0-9 /\",]{1,60}? y (?:me|nos) (?:mandaron|llegaron|enviaron|surtieron|"
    r"entregaron|trajeron|llego|llegaron)\b", r"(?:ya )?es la (?:segunda|tercera) vez",
    r"me siguen (?:mandando|cobrando|"
    r"llamando|molestando|llegando)", r"ya chole", r"ya basta", r"ya estuvo (?:bueno|de|con)", r"ya me harte",
    r"no me (?:entregan|llega|llegan|surten|mandan)(?! factura)", r"ni se disculpo",
    r"(?:es|esto es) una burla", r"es burla", r"precio mayor al (?:que|cotizado)",
    r"(?:se )?(?:nos|me) (?:la |lo )?cobr(?:o|aron) (?:a un precio )?(?:mayor|mas caro|de mas|doble)",
    r"me (?:la |lo |las |los )?(?:cobraron|cobran|cobro) (?:dos veces|2 veces|doble|de mas)",
    r"yo (?:los|las|lo|la) (?:pedi|habia pedido)", r"ya van (?:dos|tres|[0-9]+) veces",
    r"estrellad[oa]s?", r"rayad[oa]s?", r"abollad[oa]s?", r"golpead[oa]s?", r"no (?:lo|la|los|las) quiere recibir",
    r"(?:ya )?(?:quede|quedamos) mal", r"esto no puede ser", r"ya me canse", r"que mal",
    r"llevan? (?:[a-z0-9]+ ){1,3}(?:sin|esperando)", r"no me han (?:entregado|llegado|traido|surtido|mandado)",
    r"wrong (?:item|items|order|product|products|fittings|parts|size|sizes)", r"came with the wrong",
    r"missing (?:items|parts)",
    r"(?:tengo|tenemos|hay) un problema con (?:mi|el|un|nuestro) pedido",
    r"llego (?:[a-z0-9]+ ){0,3}tarde", r"de malas",
    r"leak(?:ing|s)?", r"gotea", r"tiene (?:una )?fuga",
    r"(?:me|nos) (?:mandaron|enviaron|llego|llegaron|entregaron|surtieron) (?:[a-z0-9/\" ]+ )?(?:en (?:lugar|vez) de|"
    r"equivocad|incomplet|rot[oa]s|danad)", r"que onda con (?:eso|mi pedido|el pedido)", r"no es lo que "
                                                                                         r"(?:pedi|pedimos)",
    r"(?:me|nos) (?:la |lo |las |los )?(?:cobraron|cobran|cobro) (?:mas|de mas|mal|doble)",
    r"(?:llegaron|llego|vinieron|vino|estan|esta|salieron|salio) (?:[a-z0-9]+ ){0,3}(?:rot[oa]s?|quebrad[oa]s?|"
    r"danad[oa]s?|defectuos[oa]s?|golpead[oa]s?|incomplet[oa]s?|mal|equivocad[oa]s?)",
    r"rot[oa]s", r"quebrad[oa]s?", r"defectuos[oa]s?", r"no (?:sirve|sirven|funciona|funcionan)", r"queja",
    r"reclamo", r"pesimo", r"malisimo", r"que mal servicio", r"mal servicio", r"estoy molest[oa]",
    r"llevo (?:[a-z0-9]+ ){1,3}esperando", r"(?:nadie|no) me (?:contesta|responde|ha respondido|han)",
    r"me cobraron (?:de mas|doble|mal)", r"cobro doble", r"me llego (?:otro|otra|lo que no)", r"faltaron",
    r"(?:arrived|came) (?:broken|damaged)", r"broken", r"damaged", r"complaint", r"wrong (?:item|order|product)",
    r"still waiting", r"terrible", r"awful", r"(?:were|was) the wrong", r"wrong ones?",
    r"rajad[oa]s?", r"estrellad[oa]s?", r"nunca (?:me )?(?:llego|llegaron|entregaron|vino)", r"obra parada",
    r"no (?:me )?(?:ha|han) llegado", r"ya es mucho", r"(?:makes|making) (?:a )?(?:[a-z]+ )?noise",
    r"trips? the breaker", r"(?:does not|doesnt|won't|will not|stopped) (?:work|working|start|turn on)",
    r"not working", r"never (?:arrived|came|showed up)", r"cracked", r"(?:nobody|no one|no-one) (?:answers|picks up)",
    r"nadie (?:me |nos )?(?:contesta|responde)",
    # something bought here that failed: "el rotomartillo que les compré ya no prende" ("el mío ya no calienta",
    # said to buy a new one, is no complaint)
    rf"{_BOUGHT_HERE}.{{0,60}}{_FAILED}", rf"{_FAILED}.{{0,60}}{_BOUGHT_HERE}",
    r"(?:hacer valida|aplicar|cambio por|por) (?:la )?garantia",
)
HUMAN = any_of(
    # "¿quién me ayuda a corregirla?", "¿con quién veo lo de mi factura?": a person asked for
    r"quien (?:me |nos )?(?:puede |podria )?(?:ayuda|ayudar|apoya|apoyar|atiende|atender|corrige|corregir|resuelve|"
    r"resolver)", r"con quien (?:hablo|veo|me comunico|lo veo|puedo ver|puedo hablar|me dirijo|trato)",
    r"who (?:can|could) (?:help|fix|sort)",
    r"(?:pasame|pasenme|comunicame|comuniquenme) (?:a|con) (?:una persona|alguien|un humano|un asesor|una asesora)",
    r"comunicar(?:me|nos)? con (?:alguien|una persona|un asesor|una asesora|su gerente|el gerente|un ejecutivo|"
    r"el area de|un vendedor|ventas|el encargado|la encargada|un humano)",
    r"alguien (?:me |nos )?(?:la |lo |las |los )?(?:revisa|revise|atiende|atienda|ayuda|ayude|cheque|checa|resuelva|"
    r"resuelve|llame|marque|hable)",
    r"(?:pasame|pasenme|comunicame|comuniquenme|conectame|contactame|me (?:pasas|pasan|pasa|comunicas|comunican|"
    r"comunica|conectas|conecta))(?: porfavor)? con (?:alguien|una persona|un asesor|una asesora|tu gerente|"
    r"un vendedor|"
    r"el gerente|tu jefe|el encargado|el dueno|cobranza|ventas)", r"pasame con\b", r"con (?:tu|el|su) "
                                                                                   r"(?:gerente|jefe|supervisor)",
    r"alguien (?:que )?(?:me |nos )?(?:puede|pueda|podria|pudiera) (?:revisar|ayudar|atender|checar|ver|explicar|"
    r"apoyar)",
    r"hablar con (?:alguien|una persona|un asesor|un humano|el encargado|la encargada|un vendedor|el gerente|"
    r"ventas|un agente|mi vendedor|un ejecutivo)",
    r"(?:quiero|necesito|pasame|pasenme|comunicame|comuniquenme) (?:con )?(?:un|una|el|la)? ?(?:asesor|asesora|"
    r"persona|humano|agente|encargado|vendedor|ejecutivo)",
    r"persona real", r"un humano", r"(?:que )?me (?:llamen|marquen|hablen)", r"llamenme", r"marquenme",
    r"(?:talk|speak) (?:to|with) (?:a |an |the |your |our |my )?(?:real )?(?:person|someone|somebody|human|agent|"
    r"representative|rep|salesperson|sales (?:rep|representative|person|team|agent)|account (?:manager|rep)|manager|"
    r"supervisor|owner|boss)", r"real person", r"call me", r"put me through", r"transfer me", r"connect me with",
)
GOODBYE = any_of(r"adios", r"bye", r"hasta luego", r"nos vemos", r"hasta manana", r"bonito dia", r"buen dia ,? bye",
                 r"luego les escribo", r"see you", r"good ?bye", r"que este bien", r"saludos")
# Keeping the draft as it is: "no, muy cara, déjalo así como estaba" turns down what was just quoted.
# An answer put off: "ahorita te digo", "déjame checo con el maestro", "let me check": the draft waits as it is.
LATER = any_of(
    r"(?:ahorita|ahora|luego|al rato|mas tarde|manana|en un rato|despues|orita) (?:te|le|les) (?:digo|confirmo|aviso|"
    r"marco|escribo|contesto)",
    r"(?:te|le|les) (?:digo|confirmo|aviso|escribo|contesto) (?:luego|al rato|mas tarde|en un rato|despues|manana|"
    r"ahorita|orita|en la tarde)",
    r"dejame (?:lo )?(?:checo|checar|chequeo|veo|ver|reviso|revisar|consulto|consultar|pregunto|preguntar|pienso|"
    r"pensar|pensarlo|confirmar)",
    r"deja (?:lo )?(?:checo|chequeo|veo|reviso|consulto|pregunto|pienso)", r"lo (?:consulto|checo|pienso|reviso) y te",
    r"(?:let me|lemme) (?:check|think|ask|confirm)", r"(?:i ?ll|i will|will) (?:get back|let you know|confirm later)",
)
# Talk about the talk, not the order: "perdón que tarde en contestar", "sorry for the delay".
APOLOGY = any_of(r"perdon (?:por )?(?:que|q|la) (?:tarde|tardanza|demora|me tarde)",
                 r"perdon por (?:la )?(?:demora|tardanza)",
                 r"disculpa (?:la|por la) (?:demora|tardanza)", r"sorry for the (?:delay|late reply)")
KEEP = any_of(r"dejal[oa]s? (?:asi|como (?:esta|estaba))", r"asi (?:dejal[oa]s?|como (?:esta|estaba))",
              r"como estaba", r"lo dejamos asi", r"(?:leave|keep) it (?:as it (?:is|was)|like that|as is)")
ACK = re.compile(r"^(?:ok|okay|va|sale|vale|listo|perfecto|entendido|enterado|de acuerdo|bien|esta bien|orale|"
                 r"eso es todo|"
                 r"gracias|ok gracias|va gracias|sale gracias|muchas gracias|mil gracias|ok ,? gracias|"
                 r"got it|ok thanks|thanks|thank you|cool|great|alright|perfect)(?: ,? (?:gracias|thanks|porfavor))?$")

# --- language --------------------------------------------------------------------------------

# Words that only one of the two languages uses; a message is English when it has more English ones.
ENGLISH_WORDS = frozenset({
    "the", "i", "need", "give", "just", "got", "gonna", "sure", "yep", "ones", "want", "do", "you", "have", "how",
    "much", "please", "thanks", "thank", "what",
    "my", "is", "are", "can", "send", "pipes", "pipe", "hi", "hello", "yes", "would", "like", "some", "of",
    "and", "for", "with", "order", "price", "prices", "does", "it", "cost", "many", "stock", "when", "will",
    "your", "we", "our", "us", "to", "be", "get", "elbows", "elbow", "couplings", "coupling", "fittings",
    "valve", "valves", "copper", "inch", "there", "any", "which", "one", "cheapest", "make", "that",
    "this", "good", "morning", "afternoon", "deliver", "delivery", "invoice", "pay", "paid", "confirm",
    "cancel", "remove", "add", "also", "instead", "hours", "open", "where", "person", "someone", "talk",
    "am", "an", "at", "on", "in", "tomorrow", "today", "friday", "monday", "owe", "balance", "broken",
})
SPANISH_WORDS = frozenset({
    "que", "de", "el", "la", "los", "las", "necesito", "quiero", "tienen", "hola", "gracias", "por", "para",
    "si", "mandame", "cuanto", "cuantos", "un", "una", "unos", "y", "con", "me", "mi", "tu", "es", "esta",
    "ocupo", "dame", "precio", "pedido", "buenas", "buenos", "dias", "tardes", "porfavor", "pues", "bien",
    "tambien", "mejor", "quitale", "agregale", "sean", "cuando", "llega", "donde", "hay", "tiene", "debo",
    "pago", "les", "le", "lo", "nos", "del", "al", "como", "a", "en", "o", "no", "va", "sale", "oye",
    "codos", "coples", "tubos", "piezas", "tramos", "manana", "viernes", "lunes", "hoy", "ya", "se",
})
