"""English product words as the catalog, which speaks Spanish, writes them ("copper elbows" -> "codos cobre")."""

from __future__ import annotations

import re

from graph.understanding import lexicon as lx

# The catalog speaks Spanish: English product words are searched as the catalog writes them.
ENGLISH: dict[str, str] = {
    "pipe": "tubo", "pipes": "tubos", "elbow": "codo", "elbows": "codos", "coupling": "cople", "couplings": "coples",
    "tee": "tee", "tees": "tees", "valve": "valvula", "valves": "valvulas", "copper": "cobre", "hose": "manguera",
    "hoses": "mangueras", "tank": "tinaco", "tanks": "tinacos", "pump": "bomba", "pumps": "bombas",
    "heater": "calentador", "heaters": "calentadores", "faucet": "mezcladora", "faucets": "mezcladoras",
    "screws": "tornillos", "screw": "tornillo", "wire": "cable", "wires": "cables", "fittings": "conexiones",
    "galvanized": "galvanizado", "glue": "cemento", "cement": "cemento", "tape": "cinta", "ball": "esfera",
    "cistern": "cisterna", "shower": "regadera", "drill": "taladro", "bits": "brocas", "sink": "fregadero",
    "toilet": "wc", "adapter": "adaptador", "adapters": "adaptadores", "plug": "tapon", "cap": "tapon",
    "sanitary": "sanitario", "hot": "agua caliente", "gate": "compuerta", "hammer": "martillo",
    "hydraulic": "hidraulico", "type": "tipo", "wrenches": "llaves",
    "peripheral": "periferica", "centrifugal": "centrifuga", "submersible": "sumergible", "pressure": "presurizadora",
    "water": "", "wrench": "llave", "pliers": "pinzas", "screwdriver": "desarmador", "paint": "pintura",
    "brush": "brocha", "brushes": "brochas", "roller": "rodillo", "rollers": "rodillos",
    "switch": "apagador", "switches": "apagadores",
    "outlet": "contacto", "outlets": "contactos", "breaker": "pastilla", "bucket": "cubeta", "buckets": "cubetas",
    "white": "blanco", "clear": "transparente", "expansion": "expansivo",
    "flexible": "flexible", "connector": "conector", "connectors": "conectores",
    "waterproofing": "impermeabilizante", "sealant": "sellador", "sealer": "sellador",
    "sealers": "selladores", "sealants": "selladores", "silicone": "silicon",
    "kitchen": "fregadero", "bathroom": "lavabo", "float": "flotador", "floats": "flotadores",
    "liter": "litros", "liters": "litros", "litre": "litros", "litres": "litros",
    "caps": "tapones", "plugs": "tapones", "bronze": "bronce", "brass": "bronce", "check": "check",
    "single": "sencillo", "double": "doble",
    "periferic": "periferica", "peripheric": "periferica", "reducer": "reduccion", "reducers": "reducciones",
    "nipple": "niple", "nipples": "niples", "teflon": "teflon", "solder": "soldadura", "flux": "pasta fundente",
    "anchor": "taquete", "anchors": "taquetes", "plastic": "plastico", "blades": "seguetas", "blade": "segueta",
    "year": "anos", "years": "anos", "butterfly": "mariposa", "drywall": "tablaroca", "male": "macho",
    "female": "hembra", "thread": "rosca", "gauge": "calibre", "lever": "palanca", "levers": "palancas",
    "mesh": "malla", "polyester": "poliester", "reinforcing": "refuerzo", "handles": "manerales", "sets": "juego",
    "set": "juego", "chrome": "cromada", "plates": "placas", "plate": "placa", "round": "redonda",
    "threaded": "rosca",
    "breakers": "pastillas", "bulb": "foco", "bulbs": "focos", "led": "led", "kit": "kit", "kits": "kits",
    # a contractor's shorthand: "60 copper 90s", "20 sticks of pipe", "2 spools of solder"
    "90s": "codos 90", "45s": "codos 45", "sticks": "", "stick": "", "spool": "carrete", "spools": "carretes",
    "nut": "tuerca", "nuts": "tuercas", "hex": "hexagonal", "concrete": "concreto", "sewer": "sanitario",
    "cleanout": "registro", "clamp": "abrazadera", "clamps": "abrazaderas", "garden": "jardin", "plunger": "chupon",
    "plungers": "chupones", "ring": "cuello", "rings": "cuellos", "termofusion": "termofusor", "seat": "asiento",
    "seats": "asientos", "filter": "filtro", "filters": "filtros", "for": "para",
    "primer": "primario", "enamel": "esmalte", "gloss": "brillante", "glossy": "brillante", "black": "negro",
    "gray": "gris", "grey": "gris", "red": "rojo", "vinyl": "vinil", "wood": "madera", "bolts": "tornillos",
    "bolt": "tornillo", "nails": "clavos", "nail": "clavo", "fiberglass": "fibra de vidrio", "handle": "mango",
    "acrylic": "acrilico",
}


# English product words, which tell an English message apart ("2 peripheral pumps 1hp").
ENGLISH_PRODUCT_WORDS = frozenset(word for word, spanish in ENGLISH.items() if word != spanish)

_PHRASES = ((r"(?<!tuerca )(?<!tuercas )\bunions?\b", "tuerca union"),
            (r"\bhammer drills?\b", "rotomartillo"), (r"\bhydropneumatic tanks?\b", "tanque hidroneumatico"),
            (r"\b(?:socket )?fusion (?:welders?|welding machines?|machines?|tools?)(?: kits?)?\b|\bppr welders?\b",
             "termofusor"),
            (r"\bpressure pumps?\b", "bomba presurizadora"), (r"\blevel controls?\b", "electronivel"),
            (r"\b(?:pipe|stilson) wrench(?:es)?\b", "stilson"),
            (r"\bstilson\b", "stilson"), (r"\bball valves?\b", "valvula esfera"),
            (r"\bhand ?-?held showers?(?: heads?)?\b", "regadera telefono"),
            (r"\b(?:flat )?washers?\b", "rondanas"),
            (r"\bgate valves?\b", "llave compuerta"), (r"\bwater tanks?\b", "tinaco"),
            (r"\bwater heaters?\b", "calentador"), (r"\binsulating tape\b", "cinta de aislar"),
            (r"\b(?:tubing|pipe|tube) cutters?\b", "cortatubos"), (r"\bhacksaw blades?\b", "segueta"),
            (r"\b(?:metal )?cutting (?:off )?(?:wheels?|discs?|disks?)\b|\bcut-?off (?:wheels?|discs?|disks?)\b",
             "disco de corte"),
            (r"\bgrinding (?:wheels?|discs?|disks?)\b", "disco de desbaste"),
            (r"\bdiamond (?:blades?|wheels?|discs?|disks?)\b", "disco de diamante"),
            (r"\bflap (?:wheels?|discs?|disks?)\b", "disco flap"),
            (r"\bangle grinders?\b", "esmeriladora angular"), (r"\bwax rings?\b", "cuello de cera"),
            (r"\bclaw hammers?\b", "martillo de una"), (r"\bsediment filters?\b", "filtro de sedimentos"),
            (r"\bfill valves?\b", "valvula de llenado"), (r"\bflush valves?\b", "valvula de descarga"),
            (r"\bflappers?\b", "sapo"),
            (r"\bsingle[- ](?:lever|handle)\b", "monomando"),
            (r"\b(?:toilet )?tank levers?\b", "palanca para tanque"),
            (r"\b(?:1|one|single)[- ]gang\b", "1 ventana"), (r"\b(?:2|two)[- ]gang\b", "2 ventanas"),
            (r"\bby the (?:meter|metre|foot)\b", "por metro"),
            (r"\bshower heads?\b", "regadera"),
            (r"\bshower arms?\b", "brazo para regadera"), (r"\btoilet seats?\b", "asiento para wc"),
            (r"\bdrywall screws?\b", "pija para tablaroca"), (r"\badjustable wrench(?:es)?\b", "perica"),
            (r"\btubes? of (?=silicone|sealant|caulk|glue)", ""), (r"\banti-? ?mold\b", "antihongos"),
            (r"\b(?:caulking|caulk|silicone) guns?\b", "pistola para silicon"),
            (r"\bload cent(?:er|re)s?\b", "centro de carga"), (r"\bfloat valves?\b", "flotador"),
            (r"\b(?:tank )?accessory kits?\b", "kit de accesorios"), (r"\bwall plates?\b", "placa"),
            (r"\b(?:led )?(?:light )?bulbs?\b", "foco led"),
            (r"\bhose clamps?\b", "abrazadera sin fin"), (r"\bfoot valves?\b", "valvula de pie"),
            (r"\bgarden (?:faucets?|taps?|spigots?|hose bibs?)\b", "llave para jardin"),
            (r"\b(?:w/|with) hose thread\b", "rosca para manguera"), (r"\s(?:for them|for it|for those)$", ""),
            (r"\broof(?:ing)? coatings?\b", "impermeabilizante"),
            (r"\b(?:lineman|linesman|electrician)(?:'?s)? pliers\b", "pinzas de electricista"),
            (r"\bwood screws?\b", "pija para madera"), (r"\btape measures?\b", "flexometro"),
            (r"\b(?:five|5)[- ]?gal(?:lon)?s? (?:buckets?|pails?)\b", "cubeta 19 l"),
            (r"(\d) ?(?:inch|inches|in)\b", r'\1"'))


def _phrased(words: str) -> str:
    """The English phrases the catalog names in Spanish replaced ("caulking guns" -> "pistola para silicon")."""
    for pattern, repl in _PHRASES:
        words = re.sub(pattern, repl, words)
    return words


def to_catalog_words(words: str) -> str:
    """English product words as the catalog writes them ("male thread connectors" -> "conectores macho rosca")."""
    words = _phrased(words)
    tokens = [tok for tok in words.split() if tok not in ("of", "the", "please", "also", "degree", "degrees")]
    return " ".join(w for w in (ENGLISH.get(tok, tok) for tok in _head_first(tokens)) if w)


def is_noun(token: str) -> bool:
    """A product noun in Spanish or English, not a material or brand ("codos", "blades"; not "pvc", "copper")."""
    return (bool(lx.PRODUCT.fullmatch(token)) and token not in lx.ATTRIBUTES) or is_english_noun(token)


def _head_first(tokens: list[str]) -> list[str]:
    """English names a thing last ("round 8 inch shower heads"); the catalog, like Spanish, first."""
    if not tokens or is_noun(tokens[0]) or not (any(tok in ENGLISH for tok in tokens)
                                                 or lx.MEASURE.fullmatch(tokens[0])  # "3/4 flotador"
                                                 or tokens[0] in lx.MATERIALS):  # "pvc ball valves"
        return tokens
    end = next((i for i, tok in enumerate(tokens) if tok in ("for", "with", "para", "de", "con")), len(tokens))
    head = next((i for i in range(end - 1, 0, -1) if is_noun(tokens[i])), None)
    return tokens if head is None else [tokens[head], *tokens[:head], *tokens[head + 1:]]


# Rooms say what a product is for ("bathroom faucet"), never a product: "redoing the guest bathroom" is no line.
_ROOMS = frozenset({"bathroom", "bathrooms", "kitchen", "kitchens"})


def is_english_noun(token: str) -> bool:
    """Whether an English word is a catalog noun once translated ("blades" -> seguetas, "outlets" -> contactos)."""
    spanish = ENGLISH.get(token, "")
    return token not in _ROOMS and spanish not in lx.ATTRIBUTES and bool(lx.PRODUCT.fullmatch(spanish))


def names_a_product(norm: str) -> bool:
    """Whether an English word of the text is a catalog noun once translated ("hacksaw blades" -> seguetas), or a
    phrase is ("caulking guns" -> pistola para silicón)."""
    if any(is_english_noun(tok) for tok in norm.split()):
        return True
    phrased = _phrased(norm)
    return phrased != norm and bool(lx.PRODUCT.search(phrased))
