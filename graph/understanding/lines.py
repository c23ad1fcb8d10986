"""Order lines read out of a message: "mándame 15 coples de 3/4, 8 tees y 4 tubos" is three lines.

A message is cut into item chunks at list marks (",", " y ", "también", "además"); a chunk that
names a product, a size or a counted unit is a line: its quantity, unit, product words (fillers
before the first count or product word, and trailing "para el lunes"-style tails, left out), its
size and the words that tell variants apart. A chunk with a size or a material but no product
noun ("y 10 de 1/2", "y 5 de cobre") takes the noun of the line before it.
"""

from __future__ import annotations

import re

from graph.understanding import lexicon as lx
from graph.understanding.details import _count_at, _has_product, _quantity
from graph.understanding.english import ENGLISH, ENGLISH_PRODUCT_WORDS, is_english_noun, to_catalog_words
from graph.understanding.reading import Line

# Where one item of a list ends and the next begins. "1 y 1/2" is a size, not two items.
_SPLIT = re.compile(
    r"\s,\s|\s(?:y|e|mas|ademas|tambien|aparte|and|plus|also|ademas de|asi como)\s(?!\d/\d)"
    r"|(?<=por \d)\sy\s|(?<=por \d\d)\sy\s|(?<=por \d\d\d)\sy\s"  # "1/2 x10 y 3/4 x10": "10 y 3/4" is no size
    r"|\s(?:con|junto con)\s(?=(?:\d|un[oa]?s?\s|dos|tres|cuatro|cinco|seis|diez|doce|veinte)\b)"
    # "el pvc de 90 apártame 20": an order verb and a count start a clause of their own
    r"|\s(?=(?:apartame|mandame|ponme|dame|enviame|separame|send me|give me)\s\d)"
)
# Said after the product they are about the order, not the product.
_TAIL = re.compile(
    r"\s(?:para|pa|por|a|al|en) (?:el |la |los |las |mi |su |una |un )?(?:manana|hoy|lunes|martes|miercoles|jueves|"
    r"viernes|sabado|domingo|semana|obra|tarde|ya|ahorita|entregar|pedido|direccion|mismo|favor|porfavor|"
    r"proxima|siguiente|cuanto|casa|bodega|sucursal|domicilio)\b.*$"
    r"|\s(?:porfavor|please|urgente|urge|gracias|thanks|sin falta|cuando|que|si|pero|y|me|nos|lo|los|las|hay|tienen|"
    r"tienes|tiene|quedan|manejan|tendran)\b.*$"
    r"|\s(?:a la|en la|de la) (?:obra|tarde|manana|bodega)\b.*$|\s(?:sobre|bajo) pedido\b.*$"
    r"|\s(?:ahorita|al rato|mas tarde|en un rato|es todo|seria todo)\b.*$"
    # ("for the heater", "for the toilet" say what it fits: kept)
    r"|\s(?:do you|in stock|available|for (?:the|my|our)(?! (?:water )?(?:heater|tank|toilet|sink|shower|pump|cistern|"
    r"wc|tinaco|calentador|tanque|lavabo|fregadero)s?\b)|by (?:monday|tomorrow|friday)|(?:that )?you (?:have|got)"
    r"|you've got)\b.*$"
)
# "6 hembra del mismo": the product of the line before, with this detail
OF_THE_SAME = re.compile(r"(?:^|\s)(?:del|de la|de los|de las) mism[oa]s?$")


def in_the_size_of(line: Line, name: str) -> Line:
    """ "30 codos 45 sanitarios del mismo" after a 4" line: the line in the size of the product named `name`."""
    same = OF_THE_SAME.search(line.product)
    size = size_of(lx.normalize(name)) if same is not None and line.size is None else None
    if size is None or not line.product[:same.start()].strip():
        return line
    return line.model_copy(update={"product": f'{line.product[:same.start()].strip()} {size}"', "size": size})

_OPPOSITE = {"macho": "hembra", "hembra": "macho", "sencillo": "doble", "doble": "sencillo", "45": "90", "90": "45",
             "machos": "hembras", "hembras": "machos", "sencillos": "dobles", "dobles": "sencillos"}
# "la misma", "los mismos": the product of the line before.
_SAME = frozenset({"mismo", "misma", "mismos", "mismas"})
_SAME_AS_BEFORE = re.compile(r"(?:^|(?<=\s))(?:(?:de |del )?(?:lo|la|el|los|las) (?:mism[oa]s?)(?: pero)?"
                             r"|del mism[oa]s? pero"
                             r"|the same(?: but)?(?: in| of)?)(?=\s|$)")
_POINTING = lx.DEMONSTRATIVES | _SAME | {"them", "of", "it", "one", "ones", "de", "la", "el", "los", "las"}
# A chunk that only corrects the count of the line before it.
_FIX_QUANTITY = re.compile(r"^(?:(?:bueno|no|perdon|perdone|espera|espere|mejor|digo|o sea|este|solo|nomas|nada mas|"
                           r"sorry|actually|wait|oops|i mean|make it|make that)"
                           r"\s+,?\s*)*"
                           r"(?:(?:no\s+)?(?:son|eran|era|es)\s+\d{1,5}\s+,?\s*(?:sino\s+)?)?"  # "no son 12 son 18"
                           r"(?:que sean?\s+|son\s+|seran\s+|sera\s+|es\s+|eran\s+|por\s+)?"
                           r"(?P<q>\d{1,5}|uno|una)(?:\s+(?:piezas|tramos|rollos|cajas|metros|cubetas|juegos|kilos))?"
                           r"(?:\s+(?:mejor|mas bien|nomas|nada mas|solamente|solo|nada|no mas))?$")
# A chunk correcting the count of a line it names: "no espera, los tapones que sean 8".
_FIX_NAMED = re.compile(rf"^(?:(?:no|oye|{lx.INSTEAD})\s*,?\s*)+(?:de )?(?:los|las|el|la)\s+"
                        r"(?P<noun>[a-z]+)\s+(?:que sean|son|seran|mejor|ponle)\s+(?P<q>\d{1,5})(?:\s+mejor)?$"
                        # "… actually make the discs 60", "sorry, make that the tees 20"
                        r"|^(?:(?:actually|sorry|wait|no|oh)\s*,?\s*)+(?:make (?:that |it )?)?(?:the )?(?P<en>[a-z]+)"
                        r"\s+(?P<enq>\d{1,5})$")
# A purchase order's row named by its number, then its count corrected: "(la 3 corrijo: son 6 checks)",
# "(el punto 4 corrijo: son 8 marros)"; or the count of the row whose product is named: "son 8 marros".
_ROW_SAID = re.compile(r"^(?:el |la )?(?:punto |partida |renglon |linea |numero |inciso |no )?(?P<n>\d{1,2})$")
_ROW_FIX = re.compile(r"^(?:son|eran|seran|serian|que sean) (?P<q>\d{1,5})(?: (?:[a-z]+ )?(?P<noun>[a-z]{4,}))?$")
# A count taken back with the product said again: "…y una regadera de teléfono, no, mejor dos regaderas".
_FIX_COUNT_NAMED = re.compile(rf"^(?:(?:no|{lx.INSTEAD})\s*,?\s*)+(?:que sean |son |ponme |dame |mandame )?"
                              r"(?P<q>\d{1,5}) (?P<noun>[a-z]{4,})$")
# A chunk that only corrects the detail of the line before it ("no, de 3/4 mejor", "perdón, en cobre").
_INCH = r'(?:(?:\d{1,2} )?\d{1,2}/\d{1,2}"?|\d{1,2}"?)'
_DETAIL_FIX = re.compile(r"^(?:(?:no|perdon|espera|espere|mejor|digo|o sea)\s+,?\s*)+(?:(?:son|es|eran|era) )?"
                         r"(?:(?:el|la|los|las) )?"
                         rf"(?:de|en)\s+(?P<detail>{_INCH} a {_INCH}"
                         r"|(?:\d{1,2} )?\d{1,2}/\d{1,2}\"?|\d{1,2}\""
                         r"|\d{1,4} (?:anos|litros|l|metros|m|mm|cm|w|watts|hp)"
                         r"|pvc|cpvc|cobre|galvanizad[oa]s?|tuboplus|bronce)(?:\s+(?:mejor|perdon|porfa|porfavor))?$")
# "…de 3/4 perdón de 1": a bare number taking back an inch size is inches too
_INCHES_FIX = re.compile(r"^(?:(?:no|perdon|espera|espere|mejor|digo|o sea)\s+,?\s*)+(?:(?:el|la|los|las) )?"
                         r"de\s+(?P<detail>[1-9]|1[0-2])(?:\s+(?:mejor|perdon|porfa|porfavor))?$")
_REDUCTION = re.compile(rf"(?:\bde )?{_INCH} (?:a|x|por) {_INCH}")
# a detail taken back inside a clause: "…blanco de 5 años no perdón el de 10 años" (not "de 3/4 no de 1/2",
# which keeps the first)
_DETAIL_FIX_INSIDE = re.compile(r"\s(?=(?:no (?:perdon|espera|espere|mejor|digo)|perdon|digo)\s(?:(?:el|la|los|las) )?"
                                r"(?:de|en)\s\d)")
# "…una mezcladora, no mejor esa no, nomas lo demas": the line just said is taken back
_LAST_TAKEN_BACK = re.compile(r"^(?:(?:no|mejor|bueno|pensandolo bien|siempre)\s+,?\s*)*(?:esa|ese|eso|esta|este|esas|"
                              r"esos|la ultima|el ultimo|lo ultimo)\s+(?:no|mejor no|siempre no|ya no|nel)$")
# A chunk taking a product back: "no no tinacos no", "no, los tinacos no".
_TAKEN_BACK = re.compile(r"^(?:no\s+,?\s*)+(?:los |las |el |la )?(?P<noun>[a-z]+)(?:\s+no)?$")
_FILLER_ONLY = re.compile(r"^(?:(?:bueno|no|perdon|espera|este|o sea|mmm|eh|ah)\s*,?\s*)+$")
_CONTEXT = frozenset({"de un", "de una", "para un", "para una", "de mi", "para mi", "de la", "para el", "para la",
                      "del mismo", "de los", "de las"})
_NEGATED = re.compile(r"^(?:no|mejor no|ya no|sin|nada de|not|no more)\b")
_NOUN_LESS = re.compile(r"^(?:de |del |en |of )?(?P<rest>.+)$")
_ATTRIBUTES = lx.ATTRIBUTES
_SIZE_RE = re.compile(r'(?<![\w/])(?:(1[0-2]|[1-9]) )?(\d{1,2}/\d{1,2})"?(?![\w/])|(?<![\w/])(\d{1,2})"')
_INCHES_AFTER = re.compile(r"(?<![\w/])(\d{1,2}) (?:pulgadas?|pulg|plg|in|inch|inches)\b")
# "precio de la stilson": what is priced, not what the order is for
_PRICE_WORDS = frozenset({"precio", "precios", "costo", "costos", "cotizacion", "cotizame", "cotiza"})
_FILLER_EDGE = lx.EDGE_STOPWORDS | {"necesito", "ocupo", "quiero", "mandame", "dame", "ponme", "manda",
                                    "agregale", "agrega", "tambien", "ademas", "y", "otros", "otras", "mas",
                                    "send", "need", "want", "give", "please", "porfavor", "pieza", "piezas", "aside",
                                    "cuanto", "cuesta", "cuestan", "ones", "este", "entonces", "igual", "igualito",
                                    "then"}


def without_tail(words: str) -> str:
    """The words without what is said after the product ("de 10 años lo que pasa es que…" -> "de 10 años")."""
    return _TAIL.sub("", f" {words}").strip()


def size_of(words: str) -> str | None:
    """The size the words name, as the catalog writes it without the inch mark: "3/4", "1 1/2", "2"."""
    if match := _SIZE_RE.search(words):
        whole, fraction, inches = match.groups()
        if inches:
            return inches
        return f"{whole} {fraction}" if whole else fraction
    if match := _INCHES_AFTER.search(words):
        return match.group(1)
    return None


def attributes_of(words: str) -> list[str]:
    """The variant words among `words` (materials, angles, brands), in order."""
    return list(dict.fromkeys(tok for tok in words.split() if tok in _ATTRIBUTES))


def _unit_of(tokens: list[str], start: int) -> str | None:
    """The counted unit right after a quantity ("15 tramos de tubo" -> "tramos")."""
    return tokens[start] if start < len(tokens) and tokens[start] in lx.COUNT_UNIT else None


_CORRECTION = re.compile(rf"(?<=\S)\s+no\s+,?\s*(?:{lx.INSTEAD}\s+,?\s*)*"
                         # "…, no perdón no son 12 son 18": the count taken back, then the right one
                         r"(?:(?:no\s+)?(?:son|eran|era|es)\s+\d{1,5}\s+,?\s*(?:sino\s+)?)?"
                         r"(?:que\s+sean\s+|son\s+|seran\s+|eran\s+)?(\d{1,5})(?:\s+[a-z]+)?\s*$")
_DETAIL_CORRECTION = re.compile(rf"(?<=\S)\s+no(?:\s+no)*\s+,?\s*(?:{lx.INSTEAD}\s+,?\s*)+"
                                r"(?:(?:que|q)\s+sean?\s+)?(?:(?:de|en)\s+)?(?P<detail>[a-z0-9/\"]+)"
                                r"(?:\s+,?\s*(?:mejor\s+|si\s+)?(?:de\s+|en\s+)?(?P=detail))?\s*$")
# "20 coples de 1/2 no 3/4": a size corrected with a bare "no".
_SIZE_CORRECTION = re.compile(r"(?<=\S)\s+no\s+,?\s*(?:de\s+)?(?P<detail>(?:\d{1,2} )?\d{1,2}/\d{1,2})\"?"
                              r"(?:\s+mejor)?\s*$")
_ONE_THING = re.compile(r"^(?:un|una|uno|a|an|one)\s+(?!(?:de|poco|favor|pregunta|duda|persona|asesor|humano|momento|"
                        r"rato|problema|queja|vez|bot|person|moment|question)\b)([a-z]{4,})")
_ONE_OF = re.compile(r"(?:^|(?<=\s))(?:un|una|uno)\s+(?:de\s+(?:los\s+|las\s+|la\s+|el\s+)?|del\s+)(?=\S)")
# "los más baratos que tengas", "la más económica": which of the products found, said with the line
_COMPARATIVE = re.compile(r"(?:^|\s)(?:(?:el|la|los|las|lo|de|del)\s+)?(?:que\s+(?:sean?\s+)?)?(?P<c>mas barat[oa]s?|"
                          r"mas economic[oa]s?|menos car[oa]s?|de menor precio|"
                          r"(?:the )?(?:cheapest|cheaper)(?: ones?)?|the cheap ones)"
                          r"(?:\s+(?:que|q)\s+(?:tengas|tengan|tenga|tienes|tienen|haya|manejes|manejen))?(?=\s|$)")


_CHEAPER = "masbarato"


def split_comparative(words: str) -> tuple[str, str | None]:
    """The product words without a price comparison, and the comparison ("codos de 1/2 mas baratos")."""
    if (m := _COMPARATIVE.search(words) or re.search(rf"(?:^|\s)(?P<c>{_CHEAPER})(?=\s|$)", words)) is None:
        return words, None
    return re.sub(r"\s+", " ", f"{words[:m.start()]} {words[m.end():]}").strip(), "mas barato"


# "cuántas válvulas de esfera de 1/2 tienen": the product a stock question names
_HOW_MANY_OF = re.compile(r"\bcuant[oa]s (?P<p>[a-z][a-z0-9/\" ]*?) (?:tienen|tienes|tiene|hay|quedan|manejan)\b")
# A count first, of the product just talked about, before other lines: "ok me llevo 2, con 2 mangueras…"
_YES_WORDS = ("ok|okay|va|sale|si|bueno|bien|dale|andale|orale|simon|listo|entonces|pues|perfecto|cool|great|perfect|"
              "alright|sure|yes|yeah|nice|awesome")
_COUNT_OF_IT = re.compile(rf"^(?:(?:{_YES_WORDS})\s+,?\s*)*(?:me llevo|llevo|"
                          r"mandame|dame|ponme|apartame|quiero|ocupo|send me|send|give me|i will take|ill take)\s+"
                          r"(?:(?:todos|todas|all)\s+)?(?:(?:los|las|the)\s+)?(?P<q>\d{1,5}|uno|una|one)"
                          r"(?:\s+(?:piezas|pzas|de esos|de esas|de ese|de esa|of those|of them))?"
                          r"(?:\s+(?:entonces|then|pues))?$")
_TAKE_IT_FIRST = re.compile(rf"^(?:(?:{_YES_WORDS})\s+,?\s*)*(?:me lo llevo|me la llevo|lo quiero|la quiero|"
                            r"apartamelo|apartamela|apartalo|apartala|mandamelo|mandamela|i will take it|ill take it)$")
_OF_THE_OTHER = re.compile(r"(?:y |tambien |and )?(?P<n>\d{1,5}) (?:de |del |of )(?:las |los |la |el |the )?"
                           r"(?:otr[oa]s?|other(?: ones?)?)(?: (?:tambien|tmb|igual|too|also))?")
_THE_ONES_IN_STOCK = re.compile(r"^(?:[a-z]+ ){0,3}?(?:the |los |las )?(?P<n>\d{1,5}) (?:that )?(?:you (?:have|got)|"
                                r"que (?:tengas|tienes|tengan|tienen|hay))$")
# "quiero 3 litros", "unos 20 kilos": a count in a measure, its product said before
_MEASURE_ALONE = re.compile(r"^(?:(?:quiero|ocupo|ocupamos|necesito|necesitamos|dame|deme|mandame|ponme|serian|son|"
                            r"unos|unas|como|nomas|solo|i need|we need|need|about)\s+)*(?P<n>\d{1,5}) "
                            r"(?P<u>kg|kgs|kilos?|litros?|metros?|mts|liters?|litres?|meters?)$")
_MEASURE_UNIT = {"kgs": "kg", "kilo": "kg", "kilos": "kg", "litros": "litro", "liter": "litro", "liters": "litro",
                 "litre": "litro", "litres": "litro", "metros": "metro", "mts": "metro", "m": "metro",
                 "meter": "metro", "meters": "metro"}
# "10 kg de clavo" (not "tinaco de 1100 litros de 2 capas")
_WEIGHED = re.compile(r"(?<![\w/])(?<!de )(\d{1,5}) (?:(kg|kilos?) (?:de )?(?=[a-z])|(metros?|mts|litros?) de "
                      r"|(m|meters?|metres?|liters?|litres?) of )")


# Inches are 1 to 12: "de media a 90" is an angle, not a reducer to 90".
_INCH = r"(?:1[0-2]|[1-9])(?: \d/\d)?(?!\d)|\d/\d"
_REDUCER = re.compile(rf"\b(de|reduccion(?:es)?(?: pvc| cpvc| de cobre| galvanizadas?)?|bushings?(?: pvc)?) "
                      rf"({_INCH})\"? "
                      rf"a ({_INCH})\"?(?![\w/])")


# A count said after the product: "coples 3/4 x 20", "tees 1 1/2 otras 20", "tubo cobre 1/2 10 tramos".
_UNITS_AFTER = "|".join(sorted(lx.COUNT_UNIT | {"kg", "kgs"}, key=len, reverse=True))
_COUNT_AFTER = re.compile(rf"\s(?:(?:por|otros|otras)\s(?P<n>\d{{1,5}})(?:\s(?P<u>{_UNITS_AFTER}))?"
                          rf"|(?<![\w/])(?<!\bde\s)(?<!\bdel\s)(?<!\bcalibre\s)(?<!\bnumero\s)(?P<m>\d{{1,5}})\s(?P<v>(?!metros?\b){_UNITS_AFTER}))(?=\s|$)")
_COUNT_LAST = re.compile(r"\s(?P<n>\d{1,3}|[1-9]\d{3})$")
_GROUP_LAST = re.compile(r"\s(?P<g>(?:\d{1,3}|una?|media) (?:(?:par|pair) (?:de|of) )?"
                         r"(?:docenas?|dozen|par|pares|pair|cientos|millar(?:es)?))$")
# Fittings sized in inches: a bare number after them is their size ("tubos 4", "codos 2") unless a size was said.
_SIZED = lx.any_of(r"tub(?:o|os)", r"codos?", r"tees?", r"coples?", r"tapon(?:es)?", r"niples?", r"reduccion(?:es)?",
                   r"valvulas?", r"llaves?", r"yees?", r"adaptador(?:es)?", r"conector(?:es)?", r"tuercas?")


_LITRES_LAST = re.compile(r"\s(?P<n>\d{1,2}) (?:litros|litro|lts|lt|l)$")
# Goods whose litres are their size, not how many ("tinaco 1100 l", "calentador 40 l", "cubeta 19 l")
_HOLDS_LITRES = lx.any_of(r"tinacos?", r"cisternas?", r"calentador(?:es)?", r"boiler(?:s)?", r"tanques?", r"cubetas?",
                          r"botes?", r"galon(?:es)?", r"bombas?", r"tinas?", r"lavadoras?")
# Goods sold by the box whose count a buyer gives in pieces ("rondana 3/8 200")
_BOXED = lx.any_of(r"pijas?", r"taquetes?", r"tornillos?", r"rondanas?", r"tuercas?", r"clavos?", r"grapas?",
                   r"remaches?", r"mariposas?", r"anclas?", r"pernos?")


def _metres_of_pipe(product: str, unit: str | None) -> str:
    """ "20 metros de tuboplus de media": metres of a material alone are of its pipe."""
    if unit in ("metro", "metros", "m", "mts") and product and not _names_a_noun(product) and set(
            product.split()) & {"pvc", "cpvc", "cobre", "tuboplus", "ppr", "galvanizado"}:
        return f"tubo {product}"
    return product


def _count_first(chunk: str, *, listed: bool = False, sized: bool = False) -> str:
    """A count said after the product's words, moved before them: "tees pvc 3/4 x 8" -> "8 tees pvc 3/4".

    `listed`: the message is a list of "product count" rows, so a number last counts even after a singular
    or an angle ("vlv llenado 5", "codos 90 12"); `sized`: a heading said the size ("cobre 1/2: tees 20").
    """
    tokens = chunk.split()
    noun = next((i for i, tok in enumerate(tokens) if _is_noun(tok) or _has_size(tok)), None)
    if noun is None and len(tokens) == 2 and tokens[0] in lx.COUNT_UNIT and tokens[1].isdigit():
        return f"{tokens[1]} {tokens[0]}"  # "cpvc 1/2: …, tramos 10": ten lengths (of pipe)
    if noun is None and len(tokens) == 4 and tokens[0] in ("de", "del") and tokens[1].isdigit() \
            and (m := re.search(r"\s(?:por|x) (\d{1,5})$", chunk)):
        return f"{m[1]} de {tokens[1]}"  # "stilson 14 x3 y de 18 x2": two of the line before's kind, in 18
    if noun is None and len(tokens) == 3 and (m := re.search(r"\s(?:por|x) (\d{1,5})$", chunk)):
        if tokens[0].isdigit():
            return f"{m[1]} de {tokens[0]}"  # "y 5000 x3": three of the line before's kind, in 5000
        if tokens[0].isalpha() and tokens[0].endswith("s"):
            return f"{m[1]} {tokens[0]}"  # "y angulares x5": five of the line before's kind, angular
    if noun is None:
        return chunk
    if noun and tokens[noun - 1] in lx.COUNT_UNIT:
        noun -= 1  # "tramos tuboplus 3/4 x 30": thirty lengths
    if _has_size(tokens[noun]) and all(t in ("de", "del", "en") for t in tokens[:noun]):
        noun = 0  # "de 3/4 x2": "2 de 3/4", not "de 2 3/4" (two and three quarters)
    while noun and (tokens[noun - 1] in ENGLISH_PRODUCT_WORDS
                    or (noun >= 2 and tokens[noun - 1] in lx.MEASURE_UNIT and tokens[noun - 2].isdigit())):
        # "peripheral pump 1 hp - 2 pcs", "1 hp peripheral pumps x2": in English what it is like comes first
        noun -= 1 if tokens[noun - 1] in ENGLISH_PRODUCT_WORDS else 2
    if (group := _GROUP_LAST.search(chunk)) is not None and group.start() > len(" ".join(tokens[:noun])):
        # "Tapón PVC 3/4\" - 1 docena", "válvula 1\" 1 par": the count by the dozen or pair, said last
        return f"{group['g']} {chunk[:group.start()]}".strip()
    litres = _LITRES_LAST.search(chunk)
    if (litres is not None and 2 <= int(litres["n"]) <= 60 and int(litres["n"]) not in (4, 19, 20)
            and not _HOLDS_LITRES.fullmatch(tokens[noun]) and _quantity(chunk[:litres.start()]) is None):
        # "esmalte negro 3 lts", "thinner 6 lt": so many litres of it (a tinaco's 1100 l or a 19 l bucket is its size)
        return f"{litres['n']} litros de {chunk[:litres.start()].strip()}"
    # "pija madera 10 x 1 1/2 x4 cajas": the "x 1" of a size (1 1/2) counts nothing; the last one with a unit does
    after = [x for x in _COUNT_AFTER.finditer(chunk) if not re.match(r"\s\d{1,2}/\d{1,2}", chunk[x.end():])]
    m = next((x for x in reversed(after) if x["u"] or x["v"]), after[0] if after else None)
    if m is None and (last := _COUNT_LAST.search(chunk)) is not None and len(tokens) - noun >= 2:
        # "chupones 6", "pistolas para silicon 4": a plural of goods, then how many
        prev, value = tokens[-2], int(last["n"])
        head = tokens[noun]
        in_list = (listed and not _has_size(head) and value not in (45, 90)
                   and prev not in _BEFORE_A_SIZE | lx.NUMBER_LABEL and (not prev.isdigit() or prev in ("45", "90")))
        # "yees de cuatro diez": a bare inch size, then the count
        bare_size = prev.isdigit() and 1 <= int(prev) <= 12 and tokens[-3:-2] == ["de"] and value not in (45, 90)
        plural = (head.endswith("s") and not _has_size(head) and value not in (45, 90)
                  and (not prev.isdigit() or bare_size) and prev not in _BEFORE_A_SIZE | lx.NUMBER_LABEL | _ATTRIBUTES
                  and (sized or bare_size or size_of(chunk[:last.start()]) or not _SIZED.fullmatch(head)))
        # "las tee 15", "cpl 30": no fitting is 15" or 30", so after one the number counts (Tuboplus is in mm)
        beyond_inches = (_SIZED.fullmatch(head) is not None and value > 12 and value not in (45, 90)
                         and len(tokens) - noun == 2 and not {"tuboplus", "ppr"} & set(tokens))
        # "pijas tablaroca 3000", "taquete plastico 1/4 400": fasteners are counted by the piece, never that big
        by_the_piece = _BOXED.fullmatch(head) is not None and value >= 10 and prev not in _BEFORE_A_SIZE
        if in_list or plural or beyond_inches or by_the_piece:
            m = last
    if m is None or m.start() < len(" ".join(tokens[:noun])) or _quantity(chunk[:m.start()]) is not None:
        return chunk
    unit = m.groupdict().get("u") or m.groupdict().get("v")
    if unit in ("kg", "kgs", "kilo", "kilos"):
        unit = "kg de"  # "alambre 20 kg" is "20 kg de alambre": sold by the kilo
    count = " ".join(w for w in (m["n"] or m["m"], unit) if w)
    before = chunk[:m.start()].split()
    if noun >= len(before):
        return chunk  # "agrégale 5 kg clavo de 3": the count already leads its product
    if _has_size(before[noun]) and not unit and (noun == 0 or before[noun - 1] not in ("de", "del")):
        count += " de"  # "3/4 x10": "10 de 3/4", not "10 3/4" (ten and three quarters)
    return " ".join([*before[:noun], count, *before[noun:], *chunk[m.end():].split()])


# What a voice note says between a product and its count, left behind once the count is moved before it:
# "manguera de 30 metros de esa son 4 rollos", "llaves para jardín de 1/2 póngale 6".
_SAID_COUNT_TAIL = re.compile(r"(?:\s+(?:de esa|de esas|de ese|de esos|esos si van a ser|esas si van a ser|van a ser|"
                              r"son|serian|seran|pongale|ponle|ponme|esos|esas))+\s*$")


# "mezcladoras manejan para lavabo", "tinacos tienen de 1100": a verb of carrying between a product and its detail
_CARRIED_IN = re.compile(r"(?<=[a-z] )(?:manejan|manejas|maneja|tienen|tienes|venden|vendes|hay)\s+"
                         r"(?=(?:de|para|del|en)\s)")


def _line_from(chunk: str, *, listed: bool = False, sized: bool = False) -> Line | None:
    """One chunk as a line, or None when it names no product, size or counted unit."""
    chunk = _REDUCER.sub(r'\1 \2" x \3"', chunk)  # "reducción de 2 a 1 1/2": a reducer's two sizes
    chunk = _CARRIED_IN.sub("", chunk)  # "¿qué mezcladoras manejan para lavabo?": the kind asked about, whole
    if _COUNT_LAST.search(talk_cut := _TAIL.sub("", f" {chunk}").strip()) and not _COUNT_LAST.search(chunk):
        chunk = talk_cut  # "… reducciones de 3/4 a 1/2 veinte grax pa el viernes": the count is last of the goods
    chunk = _count_first(chunk, listed=listed, sized=sized)
    if m := _WEIGHED.search(chunk):  # "10 kg de clavo": sold by the kilo, ten of them
        words = _TAIL.sub("", " " + chunk[m.end():]).split()
        product = to_catalog_words(" ".join(words))
        said = m[2] or m[3] or m[4]
        unit = _MEASURE_UNIT.get(said, said)
        product = _metres_of_pipe(product, unit)
        return Line(quantity=int(m[1]), unit=unit, product=product, size=size_of(product),
                    attributes=attributes_of(product))
    if m := _OF_THE_OTHER.fullmatch(chunk):  # "y 3 de las otras": of the option not picked
        return Line(quantity=int(m["n"]), product="otro")
    if m := _THE_ONES_IN_STOCK.search(chunk):  # "ok send the 6 you have": of the product offered
        return Line(quantity=int(m["n"]), product="")
    if m := _MEASURE_ALONE.match(chunk):  # "¿tienen esmalte negro? quiero 3 litros": of the product before
        return Line(quantity=int(m["n"]), unit=_MEASURE_UNIT.get(m["u"], m["u"]), product="")
    corrected = None
    if m := _CORRECTION.search(chunk):  # "15 tramos de tubo ... no perdón, que sean 10": the last word counts
        corrected, chunk = int(m[1]), chunk[:m.start()]
    elif m := _DETAIL_CORRECTION.search(chunk) or _SIZE_CORRECTION.search(chunk):
        # "6 tinacos de 1100 no espera, de 750": the detail changes
        detail = m["detail"]
        chunk = chunk[:m.start()]
        chunk = re.sub(r"(?<![\w/])\d[\d/ ]*\"?(?=[^\d]*$)", detail, chunk, count=1) if re.search(r"\d", detail) \
            else f"{chunk} {detail}"
    tokens = chunk.split()
    quantity = _quantity(chunk)
    if quantity is None and (m := _ONE_OF.search(chunk)):  # "apártame una de 1 hp": one, of the kind said
        rest = _TAIL.sub("", " " + chunk[m.end():]).strip()
        product = to_catalog_words(rest)
        return Line(quantity=1, product=product, size=size_of(product), attributes=attributes_of(product))
    # Start at the count, else at the first product word or size: what comes before is talk.
    start = next((i for i, tok in enumerate(tokens) if _is_count_start(tokens, i, quantity)), None)
    if start is None:
        start = next((i for i, tok in enumerate(tokens) if _is_noun(tok) or _has_size(tok)
                      or (tok.isdigit() and i + 1 < len(tokens) and tokens[i + 1] in lx.MEASURE_UNIT)), None)
        if start and re.fullmatch(r"\d{1,2}/\d{1,2}\"?", tokens[start]) and re.fullmatch(r"[1-9]", tokens[start - 1]):
            start -= 1  # "the 1 1/2\" pvc pipe": the whole of a size, no count
        while start is not None and start and tokens[start] in ENGLISH and tokens[start - 1].isalpha() \
                and tokens[start - 1] not in _FILLER_EDGE | ENGLISH_VERBS | {"one", "a", "an"}:
            start -= 1  # "gfci outlets", "bronze gate valves": in English what it is like comes first
    if (quantity is None and start is not None and start >= 2 and " ".join(tokens[start - 2:start]) in _CONTEXT
            and tokens[max(start - 3, 0)] not in _PRICE_WORDS) \
            or (start is not None and tokens[start] in ("un", "una") and start
                and tokens[start - 1] in ("de", "para", "del")):
        # "pa la instalación de un calentador ocupo: …", "es para un baño, ocupo una mezcladora…": what the
        # order is for is no line; what follows it may be
        after = " ".join(tokens[start + 1 + (tokens[start] in ("un", "una")):])
        asked = lx.ORDER_VERB.search(after) or set(after.split()) & {"un", "una"} or _quantity(after) is not None
        return _line_from(after) if asked and any(_is_noun(t) for t in after.split()) else None
    if (start is None or (quantity is None and tokens[0] in ("un", "una"))) and (m := _ONE_THING.match(chunk)):
        # "una pasta fundente", "un brazo para regadera": one of a thing we may carry
        quantity, start = 1, len(chunk[:m.start(1)].split())
    if start is None:
        return None
    if quantity is None and start and tokens[start - 1] in ("un", "una", "uno", "a", "an", "one"):
        quantity = 1  # "pásame un cortatubos": one
    unit = None
    rest = tokens[start:]
    if quantity is not None and (read := _count_at(tokens, start)) is not None and read[0] == quantity:
        unit = _unit_of(tokens, start + read[1])
        rest = tokens[start + read[1] + (unit is not None):]
        if rest[:1] == ["de"] and rest[1:2] in (["los"], ["las"]) and len(rest) > 2 and _is_noun(rest[2]):
            rest = rest[2:]  # "cuatro de las sondas": four sondas
        before = tokens[:start]
        if not rest and before and any((t.isdigit() and after in lx.MEASURE_UNIT) or _has_size(t) or t in _ATTRIBUTES
                                       or t in _LABELS for t, after in zip(before, [*before[1:], ""], strict=True)):
            rest = before  # "de 750 L - 6 pzas": the detail written before the count
        if not tokens[start].isdigit() and unit is None and rest[:1] and rest[0] != "de" \
                and not _starts_a_line(rest[:2]) and not _has_product(" ".join(rest)):
            return None  # "once it comes in", "diez minutos": a number word that counts nothing sold
    words = _TAIL.sub("", _SAID_COUNT_TAIL.sub("", " " + " ".join(rest))).split() or _TAIL.sub(
        "", " " + " ".join(rest)).split()  # "20 de esa" is the product just talked about: nothing to cut
    while words and (words[0] in _FILLER_EDGE or lx.ORDER_VERB.fullmatch(words[0])):
        words.pop(0)
    while words and (words[-1] in _FILLER_EDGE or lx.ORDER_VERB.fullmatch(words[-1])):  # "los 6 apártamelos"
        words.pop()
    if quantity is not None and not words and unit is None and (
            asked := _HOW_MANY_OF.search(" ".join(tokens[:start]))) is not None:
        words = asked["p"].split()  # "¿cuántas válvulas de esfera tienen? es que ocupo como unas 20": of those
    if quantity is not None and words and all(w in _POINTING for w in words):
        return Line(quantity=quantity, unit=unit, product="")  # "20 de esa": the product just talked about
    if quantity is not None and words and unit != "tubos" and all(re.fullmatch(r"[\d/\"]+", w) for w in words):
        bare = " ".join(words)  # "4 de 24", "10 de 3/4": the noun of the line before
        return Line(quantity=quantity, unit=unit, product=bare, size=size_of(bare))
    product = " ".join(words)
    if (not product and unit is None) or product in _NOT_GOODS:
        return None  # "ya van 2 días": a count of days, nothing bought
    if not (_has_product(product) or _has_product(to_catalog_words(product)) or unit is not None or size_of(product)
            or attributes_of(product)
            # "apártame 2 de la de 1 hp": of the product just quoted, in that measure
            or (quantity is not None and len(words) == 2 and re.fullmatch(r"[\d/.]+", words[0])
                and words[1] in lx.MEASURE_UNIT)
            or (quantity is not None and any(len(w) >= 3 and not w.isdigit() for w in words))):
        return None  # "4 multiconectores", "10 chupones": a count of named things is a line too
    if unit == "tubos":  # "10 tubos de 1/2": the noun, not a unit
        product, unit = f"tubos {product}".strip(), None
    elif unit in ("tramo", "tramos", "lengths", "length") and product and not _names_a_noun(product):
        product = f"tubo {product}".strip()  # only pipe is sold by the length: "30 tramos tuboplus de 3/4"
    else:
        product = _metres_of_pipe(product, unit)
    product = to_catalog_words(product)
    return Line(quantity=corrected or quantity, unit=unit, product=product, size=size_of(product),
                attributes=attributes_of(product))


def _is_count_start(tokens: list[str], i: int, quantity: int | None) -> bool:
    read = _count_at(tokens, i)
    return quantity is not None and read is not None and read[0] == quantity


ENGLISH_VERBS = frozenset({"have", "has", "got", "any", "need", "want", "send", "get", "sell", "carry", "stock",
                            "are", "is", "how", "many", "much", "what", "about"})


def _is_noun(token: str) -> bool:
    """A product noun, in Spanish or in English ("outlets" is "contactos")."""
    return bool(lx.PRODUCT.fullmatch(token) or is_english_noun(token))


def _has_size(token: str) -> bool:
    return bool(lx.MEASURE.fullmatch(token))


def noun_of(words: str) -> str | None:
    """The product noun the words start with ("coples" in "coples pvc de 3/4"), or None ("pvc", "de 3/4")."""
    first = words.split()[0] if words else ""
    return first if lx.PRODUCT.fullmatch(first) and first not in _ATTRIBUTES else None


def _split_at_counts(text: str) -> list[str]:
    """A list written without commas ("20 tramos de tubo de 1 pulgada 40 coples de 1") cut before each count
    that starts another line: a number (or number words) after a word that is not "de", or after a size
    ("tees de 1 2 válvulas"), followed by a product, a unit or a plural noun."""
    tokens = text.split()
    cuts = [0]
    # "tees 30 coples 30": each count said after its product, so a count does not start the next line
    count_last = len(tokens) >= 2 and tokens[-1].isdigit() and (_is_noun(tokens[-2]) or tokens[-2] in ("por", "x")
                                                                  or tokens[-2] in lx.COUNT_UNIT
                                                                  or ("/" in tokens[-2] and _has_size(tokens[-2])))
    for i in range(1, len(tokens)):
        read = _count_at(tokens, i)
        prev = tokens[i - 1]
        if count_last and read is not None and (_is_noun(prev) or (
                "/" in prev and _has_size(prev) and read[1] == 1 and tokens[i + 1: i + 2] != ["de"])):
            continue  # ("… pvc 3/4 media docena de tees": a count said first all the same)
        if prev == "mil" and tokens[i] in lx.NUMBER_WORDS:
            continue  # "dos mil quinientas pijas": one number
        before = tokens[i - 2] if i >= 2 else ""
        goods = (tokens[i] in lx.COUNT_UNIT and count_last) or (
            _is_noun(tokens[i]) and tokens[i] not in _ATTRIBUTES and tokens[i] not in lx.COUNT_UNIT)
        named_before = (_is_noun(before) and ENGLISH.get(before, before) not in _ATTRIBUTES) or (
            count_last and "/" in before and _has_size(before))  # "… de 1/2 40 codos pvc de 45 de 1/2 30"
        if (i >= 2 and i - cuts[-1] >= 2 and prev.isdigit() and goods
                and (before in ("por", "x")
                     or (prev not in ("45", "90") and (before in ("45", "90") or named_before)))):
            cuts.append(i)  # "tubos x6 coples x20", "tees 30 coples 30": a count said last, then the next product
            continue
        # "un par de", "media docena de": a count of a group
        grouped = tokens[i] in ("un", "una", "media", "medio") and read is not None and read[1] >= 2
        if read is not None and tokens[i] in ("un", "una") and not grouped and i - cuts[-1] >= 2:
            # "una mezcladora de lavabo un céspol de lavabo…" (a voice note): "un" before goods, once the
            # piece already names something bought, starts the next one; "para un baño" does not
            if (prev not in _BEFORE_A_SIZE and prev not in ("para", "pa", "con", "sin", "en") and i + 1 < len(tokens)
                    and _names_goods(tokens[i + 1]) and any(_is_noun(t) for t in tokens[cuts[-1]:i])):
                cuts.append(i)
            continue
        if read is None or tokens[i] in ("uno", "a") or i - cuts[-1] < 2:
            continue  # "un" is an article as often as a count
        after = tokens[i + read[1]: i + read[1] + 2]
        if prev in _BEFORE_A_SIZE or tokens[i - 2: i] == ["que", "sean"] or not after:
            continue  # "de 1", "que sean 10": a size, a correction
        if after[0] in ("metros", "metro", "m", "mts") and _quantity(" ".join(tokens[cuts[-1]:i])) is not None:
            continue  # "4 flexómetros 8 metros": the length of what was counted
        if after[0] in ("45", "90"):  # "60 90 degree copper elbows": the angle and material first, then the goods
            ahead = [t for t in tokens[i + read[1]: i + read[1] + 4] if t not in _ANGLE_WORDS and t not in _ATTRIBUTES]
            after = ahead[:2] or after
        if after[0] in lx.COUNT_UNIT and after[1:2] in ([], [","]):
            continue  # "tubo de 1 1/2 10 tramos": the count of the line, said last
        # "tees de 1 2 válvulas", "que sean 4 2 rollos": the number before was a size or a corrected count
        closed = (prev.isdigit() and i >= 2 and tokens[i - 2] in ("de", "del", "calibre", "sean", "son", "seran")) \
            or _has_size(prev)
        # "stilson de 18 4 de 24", "de 10 años 4 de sellador", "codos de 1/2 pvc 20 de 45": after a size,
        # "N de …" is the next line
        measured = closed or prev in lx.MEASURE_UNIT or prev in ("m", "mts", "metros") \
            or any(_has_size(t) for t in tokens[cuts[-1]:i])
        if not (_starts_a_line(after) or ((measured or grouped) and after[0] == "de" and len(after) == 2)):
            continue
        if (prev.isdigit() and not closed) or tokens[i] in ("45", "90"):
            continue  # "1 1/2", "codos 90 pvc": one size, an angle
        if (lx.PRODUCT.fullmatch(prev) or prev in _ATTRIBUTES) and not (measured or grouped) \
                and not _names_goods(after[0]):
            continue  # "codo 45 pvc", "cable 12": a kind or a gauge, unless goods follow ("teflon 5 cementos")
        cuts.append(i)
    return [" ".join(tokens[a:b]) for a, b in zip(cuts, [*cuts[1:], len(tokens)], strict=True)]


# A plural adjective said alone after a line ("y angulares x3", "5 sencillos"): the line's noun, of that kind.
_ADJECTIVE = re.compile(r"[a-z]+(?:ares|ales|bles|ados|adas|idos|idas|illos|illas|icos|icas|entes|antes)"
                        r"|blancos|blancas|negros|negras|rojos|rojas|grises|cromados|cromadas")
# A kind said alone after a product: "presurizadoras" of "bombas sumergibles y presurizadoras"
_KIND_ALONE = re.compile(r"[a-z]{4,}(?:oras|ores|ivas|ivos|ables|ibles|ales|antes|entes|adas|ados|icas|icos)")
_ANGLE_WORDS = frozenset({"45", "90", "degree", "degrees", "grado", "grados"})
# Plurals that follow a number without being what is bought ("en 3 dias", "de 5 anos").
_NOT_GOODS = frozenset({"dias", "anos", "veces", "horas", "semanas", "meses", "pesos", "grados", "pulgadas",
                        "caballos", "amperes", "watts", "volts", "minutos", "mas", "menos", "gracias", "tambien",
                        "days", "weeks", "hours", "years", "times", "dollars", "more", "less", "thanks"})


def _names_goods(word: str) -> bool:
    """A product noun or a unit goods are counted in ("5 cementos", "3 rollos")."""
    return (_is_noun(word) and word not in _ATTRIBUTES) or word in lx.COUNT_UNIT


def _starts_a_line(after: list[str]) -> bool:
    """Whether the words after a count make it a new line: goods, a plural noun ("pichanchas"), or a
    measure of something ("2 litros de primario")."""
    word = after[0]
    if _names_goods(word) or (word in lx.MEASURE_UNIT and after[1:2] == ["de"]):
        return True
    return (len(word) >= 4 and word.isalpha() and word.endswith("s") and word not in _NOT_GOODS
            and word not in _FILLER_EDGE and word not in lx.MEASURE_UNIT)


_MORE_OF_IT = re.compile(r"^(?:(?:y|tambien|tmb|tb|pero|que sea|que sean)\s+)*(?:(?:la|el|las|los)\s+)?"
                         r"(?P<d>(?:de|del|para|en)\s+[a-z0-9/\" ]+)$")
# "la stilson de 18", "el tinaco de 1100": a measure said as a bare number, so "y la de 24" is another one
_MEASURE_SAID = re.compile(r"\bde \d+(?:\.\d+)?(?: (?:lts?|litros?|l|m|mts|metros|hp|w|watts|kg|kilos|mm|cm|"
                           r"galones|gal|ml|peldanos|anos))?$")
_ALL_OF_THEM = re.compile(r"(?:(?:y|pero|que sean|todos|todas)\s+)*(?:los|las)\s+"
                          r"(?P<d>(?:de|del|en|para)\s+[a-z0-9/\" ]+)")
# "los de 90", "los de cobre", "the 90 degree ones": a kind said alone, after a counted line
_KIND_SAID = re.compile(r"(?:(?:los|las|el|la|the)\s+)(?:de\s+)?(?P<d>[a-z0-9]+(?:\s+[a-z0-9]+)??)"
                        r"(?:\s+(?:degrees?|grados?))?(?:\s+ones?)?")
_BARE_INCH = re.compile(r"(?:y |o |and |or )?(?:de |del )(1[0-2]|[1-9])")
_LEADING_AND = re.compile(r"^(?:y|e|and|tambien|ademas|mas|plus)\s+")
_BEFORE_A_SIZE = frozenset({"de", "del", "x", "por", "a", "el", "la", "$", "y", "calibre", "tipo", "no", "numero",
                            "sean", "son", "seran", "perdon", "mejor", "digo", "como", "unos", "unas"})


def _fix_apart(m: re.Match[str]) -> str:
    """A clause mark before a detail taken back, when what follows is that detail alone (else as it was)."""
    rest = re.split(r"\s,\s|\s(?:y|e|tambien)\s", m.string[m.end():], maxsplit=1)[0]
    sized = bool(re.search(r'\d/\d{1,2}"?$|\d"$', m.string[:m.start()]))
    return " , " if _DETAIL_FIX.match(rest.strip()) or (sized and _INCHES_FIX.match(rest.strip())) else m.group()


def _the_other_kind(tokens: list[str], before: str) -> bool:
    """ "hembra pvc de 1" after "adaptadores macho": the other kind of the product before, not a detail of it."""
    return bool(tokens) and _OPPOSITE.get(tokens[0], "") in before.split()


def _no_words(chunk: str) -> bool:
    """A piece that says nothing of the order: empty, or "ok", "va", "bueno" before the list."""
    return not chunk.strip(" ,") or bool(_FILLER_ONLY.match(chunk.strip(" ,"))) or bool(
        re.fullmatch(rf"(?:(?:{_YES_WORDS})\s*,?\s*)+", chunk.strip(" ,")))


def _chunks(norm: str) -> list[str]:
    """The message cut at list marks; a piece with no count and no product noun ("también de 1/2 pvc")
    belongs to the piece before it."""
    pieces: list[str] = []
    norm = _DETAIL_FIX_INSIDE.sub(_fix_apart, norm)
    for piece in (p for part in _SPLIT.split(f" {norm} ") for p in _split_at_counts(part)):
        piece = _LEADING_AND.sub("", piece.strip(" ,"))
        tokens = piece.split()
        counted = any(_count_at(tokens, i) is not None and tok not in ("un", "una", "uno")
                      and not (i + 1 < len(tokens) and tokens[i + 1] in lx.MEASURE_UNIT)  # "1 hp" is a detail
                      for i, tok in enumerate(tokens)) or bool(re.match(r"(?:un|uno|una) de ", piece))
        named = any((lx.PRODUCT.fullmatch(t) or is_english_noun(t)) and t not in _ATTRIBUTES for t in tokens)
        if (pieces and piece and not counted and not named and not _NEGATED.match(piece)
                and not _SAME_AS_BEFORE.search(piece) and not _the_other_kind(tokens, pieces[-1])
                and (size_of(piece) or attributes_of(piece) or _measure_only(tokens)) and not size_of(pieces[-1])) \
                or (pieces and _inches_of_fitting(piece, pieces[-1]) and not size_of(pieces[-1])):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def _inches_of_fitting(piece: str, before: str) -> bool:
    """ "6 codos sanitarios de 45, también de 4": a bare small number after a pipe or fitting is its inches."""
    return bool(re.fullmatch(r"de (?:1[0-2]|[1-9])", piece)) and any(_SIZED.fullmatch(w) for w in before.split())


def _leading_details(chunk: str) -> list[str] | None:
    """ "tuboplus 3/4 tees 30" -> ["tuboplus 3/4", "tees 30"]: material and size said first, then the goods."""
    tokens = chunk.split()
    end = 0
    while end < len(tokens) and (tokens[end] in _ATTRIBUTES or _has_size(tokens[end])
                                 or (tokens[end] == "tipo" and end + 1 < len(tokens))):
        end += 1 + (tokens[end] == "tipo")
    if end and end < len(tokens) and _is_noun(tokens[end]) and tokens[end] not in _ATTRIBUTES:
        return [" ".join(tokens[:end]), " ".join(tokens[end:])]
    return None


def _measure_only(tokens: list[str]) -> bool:
    """ "1 hp", "de 40 litros": a measure of the product before, said apart."""
    words = [t for t in tokens if t not in ("de", "of")]
    return len(words) == 2 and bool(re.fullmatch(r"\d+(?:[./]\d+)?", words[0])) and words[1] in lx.MEASURE_UNIT


def _bare(line: Line) -> bool:
    """No noun and nothing but sizes, materials and numbers: "10 de 1/2", "20 de 45 de pvc"."""
    if noun_of(line.product) is not None:
        return False
    rest = _SIZE_RE.sub(" ", line.product).split()
    return all(w in _ATTRIBUTES or w in ("de", "del", "en", "x", "por") or w.isdigit() or len(w) <= 2 for w in rest)


_LENGTH_OF = re.compile(r"(?<![\d\w])(?:el |un |los |unos |del )?(?:tramos?|lengths?) (?:de |of )(?P<rest>.+)$")


def _pipe_by_the_length(chunk: str) -> str:
    """ "el tramo de galvanizado de 1/2" with no count: only pipe is sold by the length, so it is pipe."""
    m = _LENGTH_OF.search(chunk)
    if m is None or re.search(r"\d\s*$", chunk[:m.start()]) or _names_a_noun(m["rest"]):
        return chunk
    return f"{chunk[:m.start()]}tubo {m['rest']}"


def _names_a_noun(words: str) -> bool:
    return any(lx.PRODUCT.fullmatch(w) and w not in _ATTRIBUTES for w in words.split())


def line_of_words(words: str) -> Line:
    """A line of these words, with the size and the kinds they name ("de 3/4", "tuboplus")."""
    return Line(product=words, size=size_of(words), attributes=attributes_of(words))


def _with_words(line: Line, words: str) -> Line:
    return line.model_copy(update={"product": words, "size": size_of(words), "attributes": attributes_of(words)})


def _details_only(words: str) -> bool:
    """A few words of material and size and no noun: "tuboplus", "pvc 3/4", "1/2\" cobre stuff"."""
    return (len(words.split()) <= 4 and not _names_a_noun(words)
            and bool(attributes_of(words) or size_of(words)))


def _with_details(line: Line, heading: str) -> Line:
    """The line with the heading's material and size, where it says none of its own."""
    fitting = bool((noun := noun_of(line.product)) and _SIZED.fullmatch(noun))
    extra = [a for a in attributes_of(heading) if a not in line.attributes] if fitting or " " not in heading else []
    size = size_of(heading) or (m[1] if (m := re.search(r"\bde (1[0-2]|[1-9])$", heading)) else None)
    if size and not line.size and fitting:  # "cobre 1/2: … soldadura": no size of solder; "pvc hidráulico de 2: …"
        extra.append(f'{size}"')
    return _with_words(line, " ".join([line.product, *extra])) if extra else line


def detail_only(line: Line) -> bool:
    """A line that names no product noun, only a size or a material ("pvc", "los de 3/4", "en cobre")."""
    return noun_of(line.product) is None and bool(line.size or line.attributes or line.product)


# "de contactos gfci ocupo 10 y de apagadores unos 20": the product said first, after "de", then how many
_TOPIC_FILLER = (r"(?:(?:me |nos |le )?(?:mandas|manda|mande|mandame|ocupo|ocupamos|necesito|necesitamos|pongale|"
                 r"ponle|ponme|pon|dame|deme|quiero|son|serian|seran|van a ser|esos si van a ser|esas si van a ser|"
                 r"si van a ser|unos|unas|otros|otras|como|nomas|solo|serian como|ahi)\s+)+")
_TOPIC = re.compile(r"(?:^|(?<=\s))de (?:los |las |el |la )?(?P<p>[a-z](?:(?! y )[a-z0-9/\" ])*?) " + _TOPIC_FILLER
                    + rf"(?P<n>\d{{1,5}})(?: (?P<u>{_UNITS_AFTER}))?(?![\d/])")


_PLACES = frozenset({"obra", "obras", "edificio", "colonia", "fraccionamiento", "calle", "casa", "sucursal", "bodega",
                     "planta", "proyecto", "torre", "plaza", "hotel", "escuela", "parte", "constructora", "ferreteria"})


def _topics_first(norm: str) -> str:
    """ "de tees pvc son 12 y de coples otros 20" -> ", 12 tees pvc , y 20 coples ,": each count before its product."""
    def moved(m: re.Match[str]) -> str:
        first = m["p"].split()[0]
        before = norm[:m.start()].split()[-1:]
        if before and (before[0].isdigit() or before[0] in lx.COUNT_UNIT):
            return m.group()  # "20 tramos de tubo … y unos 10 pegamentos": "de" after a count is of that line
        if before and before[0] in _PLACES:
            return m.group()  # "para la obra de cumbres ocupamos 12 tramos…": a place, not what is bought
        if not (_names_goods(first) or (first.endswith("s") and first not in _NOT_GOODS)):
            return m.group()  # "de la obra de cumbres son 10": what follows "de" names no goods
        product, unit = m["p"], m["u"] or ""
        if not unit and (said := re.search(rf"\s+de ({_UNITS_AFTER})$", product)):
            product, unit = product[:said.start()], said[1]  # "lo de tuboplus de 3/4 de tramos son 12"
        return f" , {m['n']} {unit} {product} , ".replace("  ", " ")
    return _TOPIC.sub(moved, norm)


_RELATIVE = re.compile(r"(?:^|(?<=\s))(?P<r>otros tantos|otras tantas|la mitad|el doble|el triple)(?=\s|$)")
_RELATIVE_TIMES = {"otros tantos": 1, "otras tantas": 1, "la mitad": 0.5, "el doble": 2, "el triple": 3}


# a count between the product and its size: "niples galvanizado 20 de 1/2"
_COUNT_THEN_SIZE = re.compile(r'^(?P<p>[a-z][a-z ]*?)(?<! de)(?<! del)(?<! a)(?<! x)(?<! por) (?P<n>\d{1,4}) de '
                              r'(?P<s>(?:\d{1,2} )?\d{1,2}/\d{1,2}"?)$')


def _kind_counted(chunk: str) -> bool:
    """ "corte metal 50", "desbaste 20": a kind and its count, no talk ("i need 30", "ocupo como 50")."""
    words = chunk.split()
    return bool(_COUNT_LAST.search(chunk)) and 1 < len(words) <= 5 and not any(
        (w in lx.EDGE_STOPWORDS and w not in ("de", "para")) or w in ENGLISH_VERBS or lx.ORDER_VERB.fullmatch(w)
        for w in words[:-1])


def _row_fixed(lines: list[Line], row: int | None, noun: str | None) -> int | None:
    """The line a count correction is for: the row named by its number (its product, when said, agreeing), else
    the last line naming that product ("son 8 marros")."""
    def names(ln: Line) -> bool:
        return noun is not None and any(w[:4] == noun[:4] for w in ln.product.split())
    if row is not None and 1 <= row <= len(lines) and (noun is None or names(lines[row - 1])):
        return row - 1
    return next((i for i in range(len(lines) - 1, -1, -1) if names(lines[i])), None) if row is None else None


def _count_in_order(lines: list[Line], quantity: int, after: list[str]) -> int:
    """A count said alone: the line before's new count, or, when the products before it were named without
    counts, the first of them ("brochas de 3 pulgadas y rodillos, 4 y 4": four of each, in order) unless a
    product comes next ("tees 1/2 inch, one hundred; tees 3/4 inch, sixty": row by row). Returns the line's index."""
    first = len(lines) - 1
    row_by_row = bool(after) and _names_a_noun(to_catalog_words(_LEADING_AND.sub("", after[0].strip(" ,"))))
    while not row_by_row and lines[first].quantity is None and first and lines[first - 1].quantity is None:
        first -= 1
    lines[first] = lines[first].model_copy(update={"quantity": quantity})
    return first


# A count taken back before its product: "ponme 10 no mejor 12 tees", "20, digo 25 coples".
# ("6 tinacos de 1100 no mejor 7 y …" corrects the count said before the product: see _CORRECTION)
_COUNT_TAKEN_BACK = re.compile(r"(?<![\w/])(?<!\bde )(?<!\bdel )\d{1,5}\s*,?\s+"
                               rf"(?:(?:no|{lx.INSTEAD})\s*,?\s+)+"
                               r"(?:que sean\s+)?(?=\d{1,5}\s+(?!y\b|e\b|and\b)[a-z])")


def extract_lines(norm: str) -> list[Line]:
    """Every order line in a normalised message, in the order written."""
    if lx.SECTION in norm:  # rows under headings of their own: each read apart, its heading for its lines only
        return [ln for section in norm.split(lx.SECTION) for ln in extract_lines(section.strip(" ,"))]
    # one word for "los más baratos que tengas", so the clause marks in it ("más") cut no line
    norm = _topics_first(_COMPARATIVE.sub(f" {_CHEAPER}", _COUNT_TAKEN_BACK.sub("", norm)))
    lines: list[Line] = []
    heading: str | None = None
    pipe: tuple[int, str] | None = None  # a pipe said first and counted in lengths: the fittings after come in it
    detail: str | None = None  # a kind said before its count ("del tipo m, apártame 5")
    row: int | None = None  # a row named by its number before its count is corrected ("la 3, son 6 checks")
    chunks = _chunks(norm)
    if chunks and (split := _leading_details(chunks[0])) is not None:
        chunks[:1] = split  # "tuboplus 3/4 tees 30 coples 30": what the list is in, then the list
    listed = sum(bool(_COUNT_LAST.search(c.strip(" ,"))) for c in chunks) >= 2
    for at, chunk in enumerate(chunks):
        chunk = chunk.strip(" ,")
        chunk, cheaper = split_comparative(chunk)
        if cheaper and not chunk and lines:  # "40 codos de 1/2, los más baratos que tengas": of that line
            lines[-1] = lines[-1].model_copy(update={"product": f"{lines[-1].product} {_CHEAPER}"})
            continue
        if cheaper and (said := _line_from(chunk)) is not None and said.product:
            lines.append(said.model_copy(update={"product": f"{said.product} {_CHEAPER}"}))
            continue
        if lines and (said_row := _ROW_SAID.match(chunk)) and at + 1 < len(chunks) \
                and _ROW_FIX.match(chunks[at + 1].strip(" ,")):
            row = int(said_row["n"])
            continue
        if lines and (fix := _ROW_FIX.match(chunk)) and (fixed := _row_fixed(lines, row, fix["noun"])) is not None:
            lines[fixed] = lines[fixed].model_copy(update={"quantity": int(fix["q"])})
            row = None
            continue
        row = None
        heading_said = lines and lines[-1].quantity is None and _details_only(lines[-1].product)
        # "pvc 3/4: cpl 40, …, cod 90 x30 y 6 tramos": six lengths of the heading's pipe, not thirty elbows
        lengths_of_pipe = bool(lines and re.search(r"\btramos?\b", chunk)
                               and noun_of(lines[-1].product) not in ("tubo", "tubos") and (heading_said or heading))
        if chunk and lines and (m := _FIX_QUANTITY.match(chunk)) and not lengths_of_pipe:
            # "…de 100 m, no espera q sean 4", "…de a pulgada, bueno no, 12 mejor" ("pvc 1 1/2: 10 tramos": below)
            counted = _count_in_order(lines, 1 if m["q"] in ("uno", "una") else int(m["q"]), chunks[at + 1:])
            if heading and _details_only(heading):  # 'Sanitario 4": …, codos de 90: 20': in the heading's details
                lines[counted] = _with_details(lines[counted], heading)
            if re.search(r"\btramos?\b", chunk) and noun_of(lines[-1].product) in ("tubo", "tubos"):
                pipe = (len(lines), lines[-1].product)  # "tubo sanitario de 4: 10 tramos, 2 docenas de codos…"
            continue
        if lines and (m := _FIX_COUNT_NAMED.match(chunk)) and (noun := noun_of(lines[-1].product)) \
                and noun[:4] == m["noun"][:4]:
            lines[-1] = lines[-1].model_copy(update={"quantity": int(m["q"])})
            continue
        if lines and at and chunks[at - 1].strip(" ,") in ("no", "no no", "perdon", "digo", "mejor") \
                and (said := _line_from(chunk)) is not None and said.quantity is None \
                and (noun := noun_of(lines[-1].product)) and noun_of(said.product) == noun:
            # "… y 10 tees… no, las tees de 3/4": that line, in the detail said
            lines[-1] = _with_words(lines[-1], follow_up_words(line_of_words(said.product), lines[-1].product))
            continue
        if lines and (m := _FIX_NAMED.match(chunk)) and (
                hit := [i for i, ln in enumerate(lines)
                        if (noun := noun_of(ln.product)) and noun[:4] == (m["noun"] or m["en"])[:4]]):
            # "…no espera los tapones que sean 8": that line's count
            lines[hit[-1]] = lines[hit[-1]].model_copy(update={"quantity": int(m["q"] or m["enq"])})
            continue
        if lines and lines[-1].size and (m := _INCHES_FIX.match(chunk)):
            chunk = f'no de {m["detail"]}"'  # "tubo galvanizado de 3/4 perdón de 1": one inch
        if lines and (m := _DETAIL_FIX.match(chunk)):  # "10 tees pvc de 1/2.. no, de 3/4 mejor": that line, in 3/4
            if " a " in m["detail"]:  # "reducciones de 1 a 1/2, no, de 1 a 3/4": both ends of the reduction
                base = _REDUCTION.sub(" ", lines[-1].product)
                said = _line_from(f"{base} de {m['detail']}")
                lines[-1] = _with_words(lines[-1], said.product if said else f"{base} de {m['detail']}")
            else:
                lines[-1] = _with_words(lines[-1], follow_up_words(line_of_words(m["detail"]), lines[-1].product))
            continue
        if lines and _LAST_TAKEN_BACK.match(chunk):
            lines.pop()
            continue
        if lines and (m := _TAKEN_BACK.match(chunk)):  # "4 tinacos.. no no, tinacos no": that line is no line
            lines = [ln for ln in lines if noun_of(ln.product) != m["noun"]]
            continue
        if not lines and detail is None and len(said := [c.strip(" ,") for c in chunks if not _no_words(c)]) > 1 \
                and chunk == said[0] and _TAKE_IT_FIRST.match(chunk):
            lines.append(Line(quantity=1, product=""))  # "ok me lo llevo, y échale 3 brocas…": it, and more
            continue
        if not lines and detail is None and len(said) > 1 \
                and chunk == said[0] and (m := _COUNT_OF_IT.match(chunk)):
            lines.append(Line(quantity=_quantity(m["q"]) or 1, product=""))  # "ok me llevo 2, con 2 mangueras…"
            continue
        if not chunk or _NEGATED.match(chunk) or _FILLER_ONLY.match(chunk):
            continue  # "mejor no los codos, mándame 20 coples": what is taken back is no line
        chunk = _pipe_by_the_length(chunk)
        if (counted := _COUNT_THEN_SIZE.match(chunk)) is not None and _names_a_noun(counted["p"]):
            chunk = f"{counted['n']} {counted['p']} de {counted['s']}"  # "niples galb 20 de 1/2 y 20 de 3/4"
        if lines and (every := re.fullmatch(r"(?:todo|todos|todas|all)(?: (?:en|de|of|in))? (?P<m>[a-z]+)", chunk)) \
                and every["m"] in _MATERIALS:  # "25 cpl 3/4, 25 cod 90 3/4, 10 red 3/4 a 1/2, todo pvc"
            lines = [_with_words(ln, f"{ln.product} {every['m']}") if noun_of(ln.product) and not any(
                a in _MATERIALS for a in ln.attributes) else ln for ln in lines]
            continue
        if lines:  # "2 stilson, una de 14 y otra de 18": the other one is one more
            chunk = re.sub(r"^(?:y )?(?:la |el )?(?:otra|otro) (?=de |del )", "1 ", chunk)
        if lines and lines[-1].quantity and (relative := _RELATIVE.search(chunk)) is not None:
            # "20 coples … y otros tantos codos …, y de tees la mitad": a count said by the one before
            times = _RELATIVE_TIMES[relative["r"]]
            rest = f"{chunk[:relative.start()]} {chunk[relative.end():]}".strip()
            said = _line_from(re.sub(r"^(?:y )?de ", "", rest))
            if said is not None and said.product and said.quantity is None and lines[-1].quantity * times >= 1:
                lines.append(said.model_copy(update={"quantity": int(lines[-1].quantity * times)}))
                continue
        if (lines and (same := _SAME_AS_BEFORE.search(chunk)) is not None
                and not ((whole := _line_from(chunk)) is not None and whole.product.split()[:1]
                         and whole.product.split()[0] in _SAME)):  # "3 galones de la misma de 4 lts": below
            # "4 válvulas check de 1/2 y lo mismo de 1", "3 botes de 4 litros de la misma": the line before, in
            # the detail said, that many (as many as before when no count is said)
            rest = f"{chunk[:same.start()]} {chunk[same.end():]}".split()
            count = _quantity(" ".join(rest))
            said = _line_from(" ".join(rest)) if count is not None else None
            words = " ".join(said.product.split() if said is not None else rest)
            short = len(rest) <= 6 and bool(size_of(words) or attributes_of(words) or re.search(r"\d", words))
            if words and short and (count or lines[-1].quantity):
                # "tuboplus 3/4: tramos 8, …, coples 15. de 1/2 lo mismo": a list in one size is said again whole
                whole = count is None and len(lines) >= 2 and bool(size_of(words)) and lines[0].size is not None \
                    and all(ln.size == lines[0].size and ln.quantity for ln in lines)
                for before in lines[:] if whole else lines[-1:]:
                    follow = follow_up_words(line_of_words(words), before.product)
                    lines.append(Line(quantity=count or before.quantity, unit=said.unit if said else before.unit,
                                      product=follow, size=size_of(follow), attributes=attributes_of(follow)))
                continue
        if lines and lines[-1].quantity is None and (each := _FOR_EACH.match(chunk)):
            lines = _count_for_each(lines, int(each["q"]))  # "codos y tees de 1/2, 20 de cada uno"
            continue
        if lines and _the_other_kind(said := chunk.split(), lines[-1].product) and not any(
                _is_noun(t) and t not in _ATTRIBUTES for t in said[1:]):
            # "adaptadores macho y hembra pvc de 1", "apagadores sencillos y dobles": the other kind, a line of its own
            before = [said[0] if w == _OPPOSITE[said[0]] else w for w in lines[-1].product.split()]
            lines.append(_with_words(Line(product=""), " ".join([*before, *(w for w in said[1:] if w not in before)])))
            continue
        if lines and lines[-1].size and (inches := _BARE_INCH.fullmatch(chunk)):
            chunk = f'de {inches[1]}"'  # "codos de 1/2, de 3/4 y de 1": in a list of sizes a bare 1 is an inch
        if (len(lines) >= 2 and (every := _ALL_OF_THEM.fullmatch(chunk))
                and len({noun_of(ln.product) for ln in lines}) == 1
                and all(ln.quantity is not None for ln in lines) and not _names_a_noun(every["d"])):
            # "3 rollos de cable calibre 12 y 2 de calibre 14, los de 100 m": that detail for each of them
            lines = [_with_words(ln, f"{ln.product} {every['d']}") for ln in lines]
            continue
        if (lines and lines[-1].quantity is None and lines[-1].product and (more := _MORE_OF_IT.match(chunk))
                and _quantity(chunk) is None and len(more["d"].split()) <= 5 and not _names_a_noun(more["d"])
                and without_tail(f"x {more['d']}") == f"x {more['d']}"  # "…, en cuánto me lo deja": talk
                and not ((lines[-1].size or _MEASURE_SAID.search(lines[-1].product)) and re.search(r"\d", more["d"]))):
            # "la válvula de esfera de pvc, la de cementar, tmb de media?": what it is like, said after it (a size
            # after a sized or measured one is another product: "codos de 1/2, de 3/4 y de 1", "la de 18 y la de 24")
            lines[-1] = _with_words(lines[-1], f"{lines[-1].product} {more['d']}")
            continue
        if (lines and lines[-1].quantity and noun_of(lines[-1].product) and (kind := _KIND_SAID.fullmatch(chunk))
                and (said := attributes_of(kind["d"])) and len(said) == len(kind["d"].split())
                and not set(said) & set(lines[-1].attributes)):
            # "20 codos 3/4 pvc, los de 90, y 10 tees", "the 90 degree ones": what kind the line before is
            lines[-1] = _with_words(lines[-1], f"{lines[-1].product} {kind['d']}")
            continue
        if not lines and (same := _SAME_AS_BEFORE.search(chunk)) is not None and _quantity(chunk) is not None:
            # "y del mismo pero de 3/4 otros 10": the line talked about before this message, in that detail
            chunk = _LEADING_AND.sub("", f"{chunk[:same.start()]} {chunk[same.end():]}".strip())
        if lines and (of := re.match(r"(?:de la|de los|de las|del) (?=(\S+))", chunk)) and _is_noun(of[1]):
            chunk = chunk[of.end():]  # "precio de la llave…, y de la válvula de esfera…": another product asked about
        line = _line_from(chunk, listed=listed, sized=bool(heading and size_of(heading)))
        if line is not None and line.quantity is None and not line.unit and chunk.split()[0] in lx.COUNT_UNIT \
                and chunk.split()[0].endswith("s") and line.product:
            line = line.model_copy(update={"unit": chunk.split()[0]})  # "rollos de cable thw: …": what the rows count
        if line is not None and line.quantity and not line.unit \
                and {"tramo", "tramos"} & set(said := line.product.split()) \
                and noun_of(rest := " ".join(w for w in said if w not in ("tramo", "tramos"))) is None:
            line = _with_words(line.model_copy(update={"unit": "tramos"}), f"tubo {rest}")  # "tuboplus 3/4 tramos x8"
        if detail and (line is None or not line.product) and (count := _quantity(chunk)) is not None:
            line = _with_words(Line(quantity=count, product=""), detail)  # "del tipo m, apártame 5": five of it
        detail = None
        if line is None and not lines and _quantity(chunk) is None:
            tokens = chunk.split()
            first = next((i for i, t in enumerate(tokens) if t in _ATTRIBUTES or _has_size(t)), None)
            if first is not None:
                detail = " ".join(tokens[first - (first > 0 and tokens[first - 1] in _LABELS):])
                continue
        if (line is None and lines and lines[-1].quantity is None and _KIND_ALONE.fullmatch(chunk)
                and (noun := noun_of(lines[-1].product)) is not None):
            line = _with_words(Line(product=""), f"{noun} {chunk}")  # "bombas sumergibles y presurizadoras"
        if (line is None and lines and lines[-1].quantity is None and (more := _MORE_OF_IT.match(chunk))
                and _quantity(chunk) is None and noun_of(lines[-1].product) is not None
                and not _names_a_noun(more["d"])):
            # "¿la stilson de 18 y la de 24?": the product before in the other measure, asked about too
            line = _with_words(Line(product=""), follow_up_words(line_of_words(more["d"]), lines[-1].product))
        if line is None and listed and _kind_counted(chunk) and (
                heading or (len(lines) == 1 and lines[0].quantity is None and noun_of(lines[0].product))):
            # "Discos 4 1/2: corte metal 50, desbaste 20": a list of kinds of what the heading names
            again = _line_from(f"{heading or lines[0].product} {chunk}")
            if again is not None and again.quantity is not None and noun_of(again.product) is not None:
                heading = heading or lines.pop().product
                lines.append(again)
                continue
        if line is not None and not line.product and not line.unit and line.quantity and lines \
                and lines[-1].quantity is None and lines[-1].product:
            line = None  # "…the helvex 8 inch round shower head? we need 12 of them": a count of it
        if line is None:
            quantity = _quantity(chunk)
            if quantity is not None and lines and lines[-1].quantity is None:
                _count_in_order(lines, quantity, chunks[at + 1:])  # "el codo de 90? ocupo como 50"
            continue
        if (line.quantity is not None and not line.product and line.unit in ("tramo", "tramos") and lines
                and lines[-1].quantity is None and _details_only(lines[-1].product)):
            # "pvc 1/2, tramos 15, codos 90 30…": the heading, then fifteen lengths of pipe in it
            heading = lines.pop().product
        if heading and line.quantity is not None and not line.product and line.unit in ("tramo", "tramos"):
            line = _with_words(line, "tubo")  # "cpvc 1/2: tees 30, …, tramos 10": the pipe of the heading
        if (line.quantity is not None and not line.product and line.unit and lines and lines[-1].quantity is None
                and not (line.unit in ("tramo", "tramos") and _details_only(lines[-1].product))):
            # "do you have 3/4 pvc pipe? I need 40 lengths": the count belongs to the product before
            lines[-1] = lines[-1].model_copy(update={"quantity": line.quantity, "unit": line.unit})
            if line.unit in ("tramo", "tramos") and noun_of(lines[-1].product) in ("tubo", "tubos"):
                pipe = (len(lines), lines[-1].product)  # "tubo sanitario de 4: 10 tramos, 2 docenas de codos…"
            continue
        if (len(lines) == 1 and lines[0].quantity is None and line.quantity is not None
                and ((len(lines[0].product.split()) == 1 and (noun_of(line.product) is None
                                                              or lines[0].product in _ATTRIBUTES))
                     or _details_only(lines[0].product)
                     # "fester 5 años: 3 cubetas blanco y 4 galones rojo": what comes in those units, then its kinds
                     or (noun_of(line.product) is None and line.unit in lx.COUNT_UNIT and line.product
                         and not _bare(line)))):
            # "impermeabilizante: 4 cubetas…", "tuboplus: 10 tubos…", "tuboplus 3/4: 30 tees y 30 coples": a heading
            heading = lines.pop().product
        elif (len(lines) == 1 and line.quantity is not None
              and (noun_of(line.product) is not None or (not line.product and line.unit in ("tramo", "tramos")))
              and lines[0].quantity is not None and lines[0].quantity <= 12 and lines[0].product in _MATERIALS):
            first = lines.pop()
            heading = f'{first.product} {first.quantity}"'  # "pvc 1: tubos x6 coples x20": PVC of 1"
        if heading and line.quantity is not None and not line.unit \
                and line.product.split()[:1] in (["tramo"], ["tramos"]):
            # "cobre 3/4: tramos tipo m x4, …": lengths of the heading's pipe, of that type
            line = line.model_copy(update={"unit": "tramos", "product": line.product.partition(" ")[2]})
        if heading and line.quantity is not None and not _names_a_noun(line.product) \
                and line.unit in ("tramo", "tramos"):
            # "pvc 1 1/2: 10 tramos, …", "tuboplus, de media diez tramos": the pipe of the heading
            line = _with_words(line, f"tubo {line.product}".strip())
        if heading and line.quantity is not None and heading not in line.product.split():
            if _details_only(heading) and (noun_of(line.product) is not None or not line.unit):
                if noun_of(line.product) is None and lines and _bare(line) and noun_of(lines[-1].product):
                    # "cpvc: tubo de 1/2 quince tramos y de 3/4 ocho": the product before, in the other size
                    line = _with_words(line, follow_up_words(line, lines[-1].product))
                    if lines[-1].quantity is None:
                        lines.pop()  # "…, codos tuboplus de noventa cuarenta de media": what the counts are of
                line = _with_details(line, heading)  # "tuboplus: … 40 codos de 25 mm": each in that material, size
            elif noun_of(line.product) is None:  # "fester 5 años: 3 cubetas blanco": what the heading names, in blanco
                again = _line_from(f"{heading} {chunk}")  # "Mangueras: reforzada 1/2 x 30 m 5 rollos": read whole
                line = again if line.product and again is not None and again.quantity is not None \
                    and noun_of(again.product) \
                    else _with_words(line, f"{heading} {line.product}".strip())
        elif lines and line.product and (same := OF_THE_SAME.search(line.product)) is not None:
            # "12 adaptadores macho pvc de 1, 6 hembra del mismo": the line before's product, that detail swapped
            detail = line.product[:same.start()].split()
            before = [w for w in lines[-1].product.split() if w not in {_OPPOSITE.get(d) for d in detail}]
            if noun_of(" ".join(detail)) is not None and noun_of(" ".join(before)):
                # "20 codos pvc 3/4 y 10 tees de la misma medida": a noun of its own takes the place of the one before
                line = _with_words(line, " ".join([*detail, *(w for w in before[1:] if w not in _ANGLE_WORDS)]))
            else:
                line = _with_words(line, " ".join([*before[:1], *detail, *before[1:]]))
        elif lines and (said := line.product.split()) and said[0] in _SAME:
            # "3 galones de la misma de 4 lts": the product of the line before, in another size
            line = _with_words(line, follow_up_words(_with_words(line, " ".join(said[1:])), lines[-1].product))
        elif lines and _bare(line) and noun_of(lines[-1].product) is not None:
            # "15 codos de 3/4 pvc y 10 de 1/2": codos pvc too, in the other size
            noun_less = _NOUN_LESS.match(line.product)
            words = follow_up_words(_with_words(line, noun_less["rest"] if noun_less else line.product),
                                    lines[-1].product)
            line = _with_words(line, words)
            if lines[-1].quantity is None and line.quantity is not None:
                said = lines.pop()  # "tinaco de 1100 L, corrijo, de 750 L - 6 pzas": the detail corrected, then counted
                line = line if line.unit or not said.unit else line.model_copy(update={"unit": said.unit})
        elif (lines and line.quantity and _ADJECTIVE.fullmatch(line.product) and not _is_noun(line.product)
              and (noun := noun_of(lines[-1].product)) is not None):
            line = _with_words(line, f"{noun} {line.product}")  # "llaves de nariz x2 y angulares x3": llaves angulares
        elif (lines and re.match(r"\d{1,5} de \S", chunk) and line.unit is None and not _names_a_noun(line.product)
              and (noun := noun_of(lines[-1].product)) is not None):
            # "10 mangueras de 15 m, 5 de 30 metros, 10 de jardín": mangueras, the length or the kind said
            words = follow_up_words(line, lines[-1].product) if line.product[:1].isdigit() else f"{noun} {line.product}"
            line = _with_words(line, words)
        if (line.unit is None and line.quantity is not None and lines and lines[-1].quantity is not None
                and lines[-1].unit and not _names_a_noun(chunk) and noun_of(line.product)
                and noun_of(line.product) == noun_of(lines[-1].product)):
            line = line.model_copy(update={"unit": lines[-1].unit})  # "5 rollos de cable del 12 y 3 del 14": rollos
        lines.append(line)
    if len(lines) >= 3 and lines[0].quantity is None and (
            len(lines[0].product.split()) <= 2 or lines[0].product.split()[0] in _KINDS_OF_GOODS) \
            and all(ln.quantity is not None for ln in lines[1:]):
        heading = lines.pop(0)  # "necesito pintura, 2 cubetas de vinílica…, 4 brochas…": what the list is of
        if heading.unit:  # "rollos de cable thw: del 12 x5, del 14 x5": each counted in rolls
            lines = [ln if ln.unit else ln.model_copy(update={"unit": heading.unit}) for ln in lines]
    elif len(lines) >= 2 and lines[0].quantity is None and (noun := noun_of(lines[0].product)) is not None \
            and any(ln.quantity is not None and noun_of(ln.product) == noun for ln in lines[1:]):
        asked = lines.pop(0)  # "¿venden cable x metro? ocupo 35 mts de cable calibre 12…": the question was of the kind
        said = set(asked.product.split())
        lines = [_with_words(ln, asked.product) if noun_of(ln.product) == noun and set(ln.product.split()) < said
                 else ln for ln in lines]  # "do you have the helvex 8 inch round shower head? we need 12 of them"
    lines = [_with_words(ln, ln.product.replace(_CHEAPER, "mas barato")) if _CHEAPER in ln.product else ln
             for ln in lines]
    # a count of nothing ("… e 0" of a code said beside the order) is no count
    lines = [ln.model_copy(update={"quantity": None}) if ln.quantity == 0 else ln for ln in lines]
    if pipe is not None:
        at, words = pipe
        lines = [*lines[:at], *(_with_details(ln, words) if not ln.size and not any(
            a in _MATERIALS for a in ln.attributes) else ln for ln in lines[at:])]
    return _split_counts(_each_with_its_own(norm, _in_the_same(_material_said_last(norm, lines))))


# pipe and the fittings that join it, which come in its material (valves, hoses and connectors come in their own)
_FITTING = lx.any_of(r"tub(?:o|os)", r"codos?", r"tees?", r"coples?", r"tapon(?:es)?", r"niples?", r"reduccion(?:es)?",
                     r"yees?", r"adaptador(?:es)?")


def is_fitting(noun: str) -> bool:
    """Pipe or a fitting that joins it ("codos", "tees", "coples"…), which comes in the pipe's material."""
    return bool(_FITTING.fullmatch(noun))


def _in_the_same(lines: list[Line]) -> list[Line]:
    """ "20 codos de 90 tuboplus de 1/2 y 10 tees": a fitting said bare right after one in a material is in that
    material, and in its size when it says none."""
    out: list[Line] = []
    for line in lines:
        before = out[-1] if out else None
        if (before is not None and (noun := noun_of(line.product)) and is_fitting(noun)
                and (was := noun_of(before.product)) and is_fitting(was)
                and not any(a in _MATERIALS for a in line.attributes)
                and (materials := [a for a in before.attributes if a in _MATERIALS])):
            line = _with_details(line, " ".join([*materials, *([f'{before.size}"'] if before.size else [])]))
        out.append(line)
    return out


_FOR_EACH = re.compile(r"^(?:(?:son|serian|seran|ponme|dame|mandame|de|a) )*(?P<q>\d{1,5}) (?:piezas |pzas )?"
                       r"(?:de )?(?:cada uno|cada una|c/u|each|of each|for each)$")


def _count_for_each(lines: list[Line], count: int) -> list[Line]:
    """ "codos y tees de 1/2, 20 de cada uno", "adaptadores macho y hembra pvc de 1, 30 c/u": that count for every
    product named before it without one; fittings named together share the size and material said last."""
    start = len(lines)
    while start and lines[start - 1].quantity is None:
        start -= 1
    named, said = lines[start:], lines[-1].product.split()
    if len(named) >= 2 and _details_only(named[0].product) and noun_of(named[0].product) is None:
        # "galv 1/2: codos 90, tees, cpl y niples, 50 c/u": what they are all in, then each of them
        heading = named.pop(0).product
        named = [_with_details(ln, heading) for ln in named]
    first = next((i for i, w in enumerate(said) if w in _MATERIALS or _has_size(w)
                  or (w == "de" and i + 1 < len(said) and _has_size(said[i + 1]))), len(said))
    shared = said[first:]  # "pvc de 1" of "adaptadores hembra pvc de 1", "de 1/2" of "tees de 1/2"
    named = [_with_words(ln, " ".join([ln.product, *shared]))
             if (noun := noun_of(ln.product)) and _SIZED.fullmatch(noun) and not ln.size
             and not set(shared) & set(ln.product.split()) else ln for ln in named]
    return [*lines[:start], *(ln.model_copy(update={"quantity": count}) for ln in named)]


_EACH_WORDS = re.compile(r"\s+(?:cada uno|cada una|c/u|for each|each)$")


def _each_with_its_own(norm: str, lines: list[Line]) -> list[Line]:
    """ "6 tinacos con su kit cada uno", "12 contactos y 8 apagadores, a cada uno su placa": one of each "su" product
    for every piece counted before it."""
    own = [i for i, ln in enumerate(lines) if i and ln.product and ln.quantity in (None, 1)
           and not re.search(rf"\b(?:una|un|1|one) (?:[a-z]+ )?(?:de |of )?(?:sus?|their|its) "
                             rf"{re.escape(ln.product.split()[0])}\b", norm)  # "…y una cubeta de su sellador": one
           and re.search(rf"(?:^|\s)(?:sus?|their|its) (?:[a-z]+ )?{re.escape(ln.product.split()[0])}\b", norm)]
    if not own:
        return lines
    while own[-1] + 1 < len(lines) and lines[own[-1] + 1].quantity is None:
        own.append(own[-1] + 1)  # "c/u con su multiconector y flotador": the flotador is each one's too
    total = sum(ln.quantity or 0 for ln in lines[:own[0]])
    if not total:
        return lines
    return [_with_words(ln, _EACH_WORDS.sub("", ln.product)).model_copy(update={"quantity": total})
            if i in own else ln for i, ln in enumerate(lines)]


def _material_said_last(norm: str, lines: list[Line]) -> list[Line]:
    """ "20 cpl 1/2 y 10 cod 90 1/2 pvc": a material closing a terse list is the whole list's, when no other
    line names one."""
    last = norm.split()[-1:] if norm.strip() else []
    if len(lines) < 2 or not last or last[0] not in _BASE_MATERIALS or last[0] not in lines[-1].attributes:
        return lines
    if any(a in _MATERIALS for ln in lines[:-1] for a in ln.attributes):
        return lines
    # only fittings and pipe come in a material ("1 electronivel y 2 tramos de tubo pvc hidraulico": not the level)
    said = [_with_words(ln, f"{ln.product} {last[0]}") if (noun := noun_of(ln.product)) and _SIZED.fullmatch(noun)
            else ln for ln in lines[:-1]]
    return [*said, lines[-1]]


def _split_counts(lines: list[Line]) -> list[Line]:
    """ "4 tinacos, 2 de 1100 y 2 de 750", "2 stilson, una de 14 y otra de 18": the count said first is the sum
    of the lines after it, each the same product in a detail of its own; the first is no line of its own."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line, noun = lines[i], noun_of(lines[i].product)
        j, total = i + 1, 0
        # "40 coples de cobre: 25 de media y 15 de 3/4": the lines after say every word of the first, and more
        said = set(line.product.split())
        while (line.quantity and noun and not line.size and j < len(lines) and lines[j].quantity
               and noun_of(lines[j].product) == noun and lines[j].product != line.product
               and said <= set(lines[j].product.split()) and total < line.quantity):
            total += lines[j].quantity
            j += 1
        if j - i >= 3 and total == line.quantity:
            out += lines[i + 1:j]
            i = j
            continue
        out.append(line)
        i += 1
    return out


# What a list is of, said before it: "we need PVC pressure fittings: tees…", "ocupo material de drenaje: …"
_KINDS_OF_GOODS = frozenset({"conexiones", "conexion", "material", "materiales", "accesorios", "cosas", "herramienta",
                             "herramientas", "refacciones"})
_MATERIALS = lx.MATERIALS
_BASE_MATERIALS = frozenset({"pvc", "cpvc", "cobre", "galvanizado", "tuboplus", "ppr"})
_LABELS = frozenset({"calibre", "tipo", "cedula", "numero", "no", "modelo"})


def names_variant(line: Line) -> bool:
    """Whether the line says which variant: a size, a material or kind, or "de 2" (two inches)."""
    return bool(line.size or line.attributes or re.search(r"\b(?:de|del) \d{1,2}\b(?! ?(?:m|mts|metros|l|litros)\b)",
                                                          line.product))


def names_material(words: str) -> bool:
    """Whether the words name a material ("tuboplus", "el de cobre")."""
    return any(w in _MATERIALS for w in words.split())


def names_another_kind(words: str, last: str | None) -> bool:
    """Whether a follow-up's words start with a word of their own ("check de 1/2" after "llave de paso"),
    not a size, a material or "de": then they may name another product rather than a variant of the last."""
    first = words.split()[0] if words else ""
    return bool(last) and len(first) >= 3 and first.isalpha() and first not in _ATTRIBUTES \
        and first not in _MATERIALS and first not in lx.EDGE_STOPWORDS and first not in lx.normalize(last).split()


_WHOLE_INCHES = re.compile(r'(?<![\d/])(\d{1,2})"')
_MEASURED = re.compile(r"(?<![\d/])(\d{1,4}) ?(?:m|l|cm|mm|kg|w|hp|litros|metros)\b")


def follow_up_words(line: Line, last: str | None) -> str:
    """The product words of a follow-up: "¿y el de 3/4?" after "codo pvc de 1/2" is "codo pvc de 3/4".

    A word the last product has ("calibre", "tipo") takes its new value; a new size replaces the old
    one (a bare small number is a size when the product had one); an angle the angle; a new capacity
    or power (1100 l, 1 hp) the old one; a new material the old material; other words go with the
    last product's noun ("y la de fregadero").
    """
    if noun_of(line.product) is not None or not last:
        return line.product
    last = lx.normalize(last)
    words = last.split()
    new = line.product.split()
    for i, word in enumerate(new[:-1]):  # "y el de cal 12?" after "cable calibre 14": the word after "calibre"
        if len(word) >= 3 and not word[0].isdigit() and word in words and words.index(word) + 1 < len(words) \
                and word not in _ATTRIBUTES and word not in _MATERIALS:  # ("de 45 pvc de 1": pvc labels nothing)
            j = words.index(word)
            return " ".join([*words[:j + 1], new[i + 1], *words[j + 2:]])
    angle = [t for t in new if t in ("45", "90")]
    if angle:  # "20 de 45" after "codos de 90 de 1/2 pvc": the angle changes, the rest stays
        words = [w for w in words if w not in ("45", "90")]
        last = " ".join(words)
        new = [t for t in new if t not in ("45", "90")]
    # "¿y la de 1 hp?" after a 1/2 HP pump: a power, not inches
    amount = bool(re.search(rf"\d (?:{'|'.join(_UNITS_AFTER_NUMBER)})(?:\s|$)", line.product))
    size = None if amount else line.size
    bare = [w for w in new if w not in ("de", "en")]
    said_anew = [w for w in bare if w not in words]  # "de 45 pvc de 1" after "codos pvc 90 de 1": pvc is no news
    if size is None and not amount and size_of(last) and len(said_anew) == 1 and said_anew[0].isdigit() \
            and int(said_anew[0]) <= 12:
        size = said_anew[0]  # "las tees que sean de 2" after tees of 1 1/2: two inches
    if size and (reduction := _REDUCTION.search(line.product)):  # "30 de 1\" a 3/4\"" of reducciones: both ends
        base = _REDUCTION.sub(" ", last).split()
        while base and base[-1] in ("de", "x", "por", "a"):
            base.pop()
        return " ".join([*base, "de", re.sub(r"^de ", "", reduction.group())])
    if size:
        kept = _SIZE_RE.sub(" ", _INCHES_AFTER.sub(" ", last)).split()
        if not size_of(last):  # "codos sanitarios de 4" said without inches: the 4 is the size
            kept = [w for i, w in enumerate(kept) if not _unquoted_size(kept, i) and not (
                w == "de" and i + 1 < len(kept) and _unquoted_size(kept, i + 1))]
        while kept and kept[-1] == "de":
            kept.pop()
        inch = '"' if size.isdigit() else ""
        if any(a in _MATERIALS for a in line.attributes):  # "todo en tuboplus de 3/4": the new material only
            kept = [w for i, w in enumerate(kept) if w not in _MATERIALS
                    and not (w == "de" and i + 1 < len(kept) and kept[i + 1] in _MATERIALS)]
        added = [a for a in line.attributes if a not in kept and a not in angle]
        return " ".join([*kept, "de", f"{size}{inch}", *added, *angle])
    if angle and not bare:
        return " ".join([*words, *angle])
    labelled = [i for i, w in enumerate(words) if w.isdigit() and i and (
        words[i - 1] in _LABELS or words[i - 1] == "del")]  # "y 3 del 14" after "cable del 12 de 100 metros"
    if len(bare) == 1 and bare[0].isdigit() and labelled:  # "1 rollo del 14" after "cable calibre 12": calibre 14
        return " ".join([*words[:labelled[0]], bare[0], *words[labelled[0] + 1:]])
    if len(bare) == 1 and bare[0].isdigit() and (said := _WHOLE_INCHES.search(last) or _MEASURED.search(last)):
        # "a las de 18" after a 14" stilson, "de 15 mejor" after a hose of 30 m: the number of that measure
        return f"{last[:said.start(1)]}{bare[0]}{last[said.end(1):]}"
    if any(tok.isdigit() for tok in new):
        # a new capacity or power replaces the old one (with its unit); sizes and labels ("calibre 12") stay
        kept = [w for i, w in enumerate(words)
                if not (_is_amount(words, i) or (w in _UNITS_AFTER_NUMBER and i and _is_amount(words, i - 1)))]
        while kept and kept[-1] == "de":
            kept.pop()
        return " ".join([*kept, *new])
    if any(tok in _MATERIALS for tok in new):
        return " ".join([*(w for w in words if w not in _MATERIALS), *new])
    noun = noun_of(last) or words[0]
    return " ".join([noun, *new])


def _is_amount(words: list[str], i: int) -> bool:
    """Whether words[i] is a capacity or power (a number not after a label, or a fraction before a unit)."""
    w = words[i]
    after = words[i + 1] if i + 1 < len(words) else ""
    if w.isdigit():
        return i == 0 or words[i - 1] not in _LABELS
    return bool(re.fullmatch(r"\d{1,2}/\d{1,2}", w)) and after in _UNITS_AFTER_NUMBER


_UNITS_AFTER_NUMBER = frozenset({"l", "lt", "lts", "litros", "hp", "w", "watts", "mm", "cm", "m", "metros", "mts", "kg",
                                 "anos"})


def _unquoted_size(words: list[str], i: int) -> bool:
    """Whether words[i] is "4" of "de 4": inches said bare, not an angle nor an amount with its unit."""
    w = words[i]
    return (w.isdigit() and 1 <= int(w) <= 12 and i > 0 and words[i - 1] == "de"
            and (i + 1 == len(words) or words[i + 1] not in _UNITS_AFTER_NUMBER))


def like_the_others(words: str, names: list[str]) -> str | None:
    """A fitting said with no size nor material ("y 10 tees") in the material and size every drafted fitting
    shares ("cople pvc 3/4", "codo pvc 3/4"): a shop assistant would not ask. None when they differ."""
    noun = noun_of(words)
    if noun is None or not _SIZED.fullmatch(noun) or size_of(words) or set(words.split()) & _MATERIALS:
        return None
    kinds = set()
    for name in names:
        folded = lx.normalize(name)
        if (head := noun_of(folded)) is None or not _SIZED.fullmatch(head):
            continue
        materials = tuple(sorted(set(folded.split()) & _BASE_MATERIALS))
        kinds.add((materials, size_of(folded)))
    if len(kinds) != 1:
        return None
    materials, size = kinds.pop()
    if not materials or not size:
        return None
    return " ".join([words, *materials, f'{size}"'])


# "¿a cómo la stilson de 18 y la de 24?", "¿cuánto la mezcladora foset y la helvex?", "the 1/2 hp pump and the 1 hp
# one", "fester 19 L, the 3 year and the 5 year": one product asked about in several variants, each said by its detail
_VARIANT_PARTS = re.compile(r"\s*,\s*|\s(?:y|e|o|and|or|vs)\s")
_VARIANT_EDGE = re.compile(r"^(?:(?:y|e|o|and|or|tambien|la|el|los|las|the|del|de|of)\s+)+|\s+(?:one|ones|cost|costs|"
                           r"price|prices|tienen|tienes|hay|quedan|ahorita|en cuanto|cuanto)$")
_VARIANT_UNIT = {"lts": "l", "lt": "l", "litros": "l", "litro": "l", "year": "anos", "years": "anos",
                 "ano": "anos", "mts": "m", "metros": "m", "metro": "m", "watts": "w"}
_BRANDS = frozenset({"3m", "amanco", "calorex", "cinsa", "coflex", "comex", "condumex", "dica", "fester", "fiero",
                     "foset",
                     "helvex", "nacobre", "pretul", "rotoplas", "sika", "sista", "truper", "tubacero", "tuboplus",
                     "tupy", "urrea", "volteck"})


def variants_asked(norm: str) -> list[Line] | None:
    """The variants of one product a question names, a line each; None when the message is not such a list."""
    parts = [p for p in _VARIANT_PARTS.split(norm) if p.strip()]
    if (said_first := _details_first(parts)) is not None:
        return said_first
    while len(parts) >= 2 and not extract_lines(parts[0]):
        parts.pop(0)  # "hi, how much for…": what comes before the product is talk
    if len(parts) < 2:
        return None
    first = extract_lines(parts[0])
    if len(first) != 1 or first[0].quantity is not None or _details_only(first[0].product):
        return None
    base = first[0].product
    details = []
    tail = ""
    if (shared := _SHARED_TAIL.search(parts[-1])) is not None:
        # "cable thw calibre 10, 12 y 14 en rollo de 100 m": what the last one comes in, all of them do
        tail, parts = f" {shared['tail']}", [*parts[:-1], parts[-1][:shared.start()]]
    for part in parts[1:]:
        words = [_VARIANT_UNIT.get(w, w) for w in _VARIANT_EDGE.sub("", _VARIANT_EDGE.sub("", part.strip())).split()]
        if words == ["3", "m"] and any(w in _BRANDS for w in base.split()):
            words = ["3m"]  # "la truper y la 3m": the brand, not three metres
        if not words or len(words) > 3 or not all(_a_detail(w) for w in words):
            return None
        details.append(words)
    kinds = {kind for words in details for kind, _ in _details_of(words)} - {None}
    own = {kind for kind, _ in _details_of(base.split())}
    numbered = "number:" in kinds and any((k or "").startswith("number:") for k in own)  # "de 450 lts y el de 750"
    lines = [first[0]] if kinds & own or numbered else []  # "fester 19 L, the 3 year and the 5 year": the base no line
    for words in details:
        lines.append(_with_words(Line(product=""), _swap(base, words)))
    lines = [_with_words(ln, ln.product + tail) for ln in lines] if tail else lines
    return lines if len(lines) >= 2 else None


_SHARED_TAIL = re.compile(r"(?<=\d)\s+(?P<tail>(?:en|in) [a-z0-9 /\"]+)$")


def _details_first(parts: list[str]) -> list[Line] | None:
    """ "the 5 m and 8 m tape measures": the details first, the product they are of last (English)."""
    if len(parts) != 2 or noun_of(parts[0]) is not None or any(is_english_noun(w) for w in parts[0].split()):
        return None
    last = extract_lines(_VARIANT_EDGE.sub("", parts[1]))
    if len(last) == 1 and last[0].quantity is not None and last[0].product.split()[:1] \
            and last[0].product.split()[0] in lx.MEASURE_UNIT | {"m"}:  # "8 m tape measures": a measure, no count
        last = [_with_words(Line(product=""), without_tail(f"{last[0].quantity} {last[0].product}"))]
    if len(last) != 1 or last[0].quantity is not None or _details_only(last[0].product):
        return None
    words = _VARIANT_EDGE.sub("", parts[0]).split()
    detail = []
    while words and (_a_detail(words[-1]) or (detail and words[-1] in lx.MEASURE_UNIT)):
        detail.insert(0, _VARIANT_UNIT.get(words[-1], words[-1]))
        words.pop()
    if not detail or not any(_kind_of_detail(w) for w in detail):
        return None
    return [last[0], _with_words(Line(product=""), _swap(last[0].product, detail))][::-1]


def _kind_of_detail(word: str) -> str | None:
    return next((kind for kind, _ in _details_of([word])), None)


def _a_detail(word: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?|\d+/\d+\"?|\d+(?:l|m|w|hp|mm)", word)) or word in lx.MEASURE_UNIT \
        or word in _BRANDS or word in _MATERIALS or word in ("m", "anos")


def _details_of(words: list[str]) -> list[tuple[str | None, int]]:
    """Each word's kind of detail (a brand, a material, a number in its unit: "number:hp") and where it is;
    a unit after a number is part of it."""
    found: list[tuple[str | None, int]] = []
    for i, word in enumerate(words):
        if word in _BRANDS:
            found.append(("brand", i))
        elif word in _MATERIALS:
            found.append(("material", i))
        elif word[:1].isdigit():
            found.append((f"number:{_unit_after(words, i) or ''}", i))
    return found


def _swap(base: str, detail: list[str]) -> str:
    """The base product's words with each detail in place of the one of its kind ("3m" for "truper", "24" for
    "18", "1 hp" for "1/2 hp"; a number with no unit for the last number), else added."""
    words = base.split()
    mine = _details_of(words)
    added: list[str] = []
    for kind, i in _details_of(detail):
        assert kind is not None
        same = [j for k, j in mine if k == kind or (kind == "number:" and (k or "").startswith("number:"))]
        if same:
            words[same[-1]] = detail[i]  # "de 2 y de 4" after "codo 90 sanitario de 2": the last number said
        else:
            unit = detail[i + 1:i + 2] if kind.startswith("number:") and kind != "number:" else []
            added += [detail[i], *unit]
    return " ".join([*words, *added])


def _unit_after(words: list[str], i: int) -> str | None:
    after = words[i + 1] if i + 1 < len(words) else None
    return _VARIANT_UNIT.get(after, after) if after in lx.MEASURE_UNIT or after in _VARIANT_UNIT or after == "m" \
        else None
