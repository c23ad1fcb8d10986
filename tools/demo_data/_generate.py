#!/usr/bin/env python3
"""Deterministic generator for Orkesta demo data.

Writes (relative to the repository root):
  tools/demo_data/catalog.json
  tools/demo_data/suppliers.json
  tools/demo_data/customers.json
  tools/demo_data/invoices.json
  tools/demo_data/pricing.json
  tests/data/intent_corpus.jsonl

The JSON files are the exact output of this script (fixed seed, no clock
access).  Re-run with:  python tools/demo_data/_generate.py

Conventions
-----------
* All money values are decimal strings with exactly 2 decimals (MXN).
* catalog ``list_price`` is before IVA; invoice ``amount`` is gross (IVA incl.).
* Reference date ("today") for invoices is 2026-11-25.
* Invoice status rules (relative to TODAY):
    paid     -> paid_amount == amount, paid_at <= TODAY,
                days_late_when_paid = max(0, paid_at - due_date)
    open     -> paid_amount == 0 and due_date >= TODAY
    partial  -> 0 < paid_amount < amount and due_date >= TODAY
    overdue  -> paid_amount < amount and due_date < TODAY (may be partly paid)
  paid_at / days_late_when_paid are null unless status == "paid".
* Emails use the reserved ``.example`` TLD.  Phone numbers / wa_ids are
  random and format-valid; they are NOT known-safe numbers, so never send
  real WhatsApp traffic to them.
"""

from __future__ import annotations

import json
import random
import unicodedata
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SEED = 20261125
TODAY = date(2026, 11, 25)
HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT_DEMO = HERE
OUT_TESTS = REPO / "tests" / "data"

CENT = Decimal("0.01")


def money(x) -> str:
    return str(Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP))


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------
# Suppliers
# ---------------------------------------------------------------------------
SUPPLIERS = [
    {"supplier_id": "SUP-001", "name": "Grupo Rotoplas S.A.B. de C.V.",
     "contact_email": "ventas.mayoreo@rotoplas.example", "lead_time_days": 5},
    {"supplier_id": "SUP-002", "name": "Amanco Wavin México S.A. de C.V.",
     "contact_email": "pedidos@amancowavin.example", "lead_time_days": 4},
    {"supplier_id": "SUP-003", "name": "Truper S.A. de C.V.",
     "contact_email": "distribuidores@truper.example", "lead_time_days": 3},
    {"supplier_id": "SUP-004", "name": "Nacional de Cobre S.A. de C.V. (Nacobre)",
     "contact_email": "ventas@nacobre.example", "lead_time_days": 7},
    {"supplier_id": "SUP-005", "name": "Urrea Herramientas Profesionales S.A. de C.V.",
     "contact_email": "atencion.distribuidores@urrea.example", "lead_time_days": 6},
    {"supplier_id": "SUP-006", "name": "Ferremayoreo del Bajío S.A. de C.V.",
     "contact_email": "compras@ferremayoreobajio.example", "lead_time_days": 9},
]

BRAND_SUPPLIER = {
    "Rotoplas": "SUP-001", "Tuboplus": "SUP-001",
    "Amanco": "SUP-002", "Dica": "SUP-002",
    "Truper": "SUP-003", "Pretul": "SUP-003", "Fiero": "SUP-003",
    "Volteck": "SUP-003", "Foset": "SUP-003",
    "Nacobre": "SUP-004",
    "Urrea": "SUP-005",
    # everything else comes through the wholesaler
    "Coflex": "SUP-006", "Helvex": "SUP-006", "Calorex": "SUP-006",
    "Cinsa": "SUP-006", "Fester": "SUP-006", "Comex": "SUP-006",
    "Condumex": "SUP-006", "Square D": "SUP-006", "3M": "SUP-006",
    "Sista": "SUP-006", "Sika": "SUP-006", "Tupy": "SUP-006",
    "Tubacero": "SUP-006",
}
SUP_LEAD = {s["supplier_id"]: s["lead_time_days"] for s in SUPPLIERS}

# ---------------------------------------------------------------------------
# Catalog
# ---------------------------------------------------------------------------
IN = '"'
SIZES = [("1/2", "050"), ("3/4", "075"), ("1", "100"),
         ("1 1/2", "150"), ("2", "200"), ("4", "400")]


def inch(s: str) -> str:
    return s + IN


_products: list[dict] = []


def P(sku, name, category, brand, unit, price, measure=None, tags=(), heavy=False):
    _products.append({
        "sku": sku, "name": name, "category": category, "brand": brand,
        "unit": unit, "list_price": money(price), "measure": measure,
        "tags": list(tags), "_heavy": heavy,
    })


# --- PVC hidráulico (Amanco) -------------------------------------------------
pvc_tubo = [98.50, 142.00, 215.00, 410.00, 585.00, 1650.00]
for (s, c), pr in zip(SIZES, pvc_tubo):
    P(f"PVC-TUB-{c}-6M", f"Tubo PVC hidráulico {inch(s)} x 6 m cédula 40",
      "tuberia_pvc", "Amanco", "tramo", pr, inch(s), ["pvc", "hidraulico", "tubo"])

pvc_fittings = [
    ("C90", "Codo 90° PVC hidráulico", [6.50, 10.80, 19.50, 42.00, 68.00, 310.00], ["codo", "90"]),
    ("C45", "Codo 45° PVC hidráulico", [8.20, 13.50, 23.00, 48.00, 79.00, 345.00], ["codo", "45"]),
    ("TEE", "Tee PVC hidráulica", [9.50, 15.80, 27.00, 58.00, 95.00, 420.00], ["tee"]),
    ("CPL", "Cople PVC hidráulico", [4.80, 7.50, 12.50, 26.00, 42.00, 185.00], ["cople"]),
    ("TAP", "Tapón PVC hidráulico", [4.20, 6.80, 11.00, 22.00, 36.00, 150.00], ["tapon"]),
    ("ADM", "Adaptador macho PVC hidráulico", [5.50, 8.90, 14.50, 30.00, 48.00, 210.00], ["adaptador", "macho", "rosca"]),
    ("ADH", "Adaptador hembra PVC hidráulico", [6.20, 9.80, 16.00, 33.00, 52.00, 230.00], ["adaptador", "hembra", "rosca"]),
]
for code, base, prices, tags in pvc_fittings:
    for (s, c), pr in zip(SIZES, prices):
        P(f"PVC-{code}-{c}", f"{base} {inch(s)}", "conexiones_pvc", "Amanco", "pieza",
          pr, inch(s), ["pvc", "hidraulico", "conexion", *tags])

for a, b, ca, cb, pr in [("3/4", "1/2", "075", "050", 6.90), ("1", "1/2", "100", "050", 11.50),
                         ("1", "3/4", "100", "075", 11.50), ("1 1/2", "1", "150", "100", 24.00),
                         ("2", "1", "200", "100", 38.00), ("2", "1 1/2", "200", "150", 38.00),
                         ("4", "2", "400", "200", 160.00)]:
    P(f"PVC-RED-{ca}X{cb}", f"Reducción bushing PVC hidráulico {inch(a)} x {inch(b)}",
      "conexiones_pvc", "Amanco", "pieza", pr, f"{inch(a)} x {inch(b)}",
      ["pvc", "hidraulico", "conexion", "reduccion", "bushing"])

# --- CPVC (agua caliente) ----------------------------------------------------
for sku, name, unit, pr, m, tags in [
    ("CPVC-TUB-050-3M", "Tubo CPVC agua caliente 1/2\" x 3 m", "tramo", 118.00, "1/2", ["tubo"]),
    ("CPVC-TUB-075-3M", "Tubo CPVC agua caliente 3/4\" x 3 m", "tramo", 198.00, "3/4", ["tubo"]),
    ("CPVC-C90-050", "Codo 90° CPVC 1/2\"", "pieza", 7.80, "1/2", ["codo", "90"]),
    ("CPVC-C90-075", "Codo 90° CPVC 3/4\"", "pieza", 13.50, "3/4", ["codo", "90"]),
    ("CPVC-C45-050", "Codo 45° CPVC 1/2\"", "pieza", 9.20, "1/2", ["codo", "45"]),
    ("CPVC-TEE-050", "Tee CPVC 1/2\"", "pieza", 9.90, "1/2", ["tee"]),
    ("CPVC-TEE-075", "Tee CPVC 3/4\"", "pieza", 17.00, "3/4", ["tee"]),
    ("CPVC-CPL-050", "Cople CPVC 1/2\"", "pieza", 5.20, "1/2", ["cople"]),
    ("CPVC-CPL-075", "Cople CPVC 3/4\"", "pieza", 8.60, "3/4", ["cople"]),
    ("CPVC-ADM-050", "Adaptador macho CPVC 1/2\"", "pieza", 14.50, "1/2", ["adaptador", "macho"]),
    ("CPVC-TAP-050", "Tapón CPVC 1/2\"", "pieza", 5.80, "1/2", ["tapon"]),
]:
    P(sku, name, "cpvc", "Amanco", unit, pr, inch(m), ["cpvc", "agua caliente", *tags])

# --- Cobre (Nacobre) ---------------------------------------------------------
for t, prices in [("M", [625.00, 1080.00, 1720.00]), ("L", [845.00, 1420.00, 2180.00])]:
    for (s, c), pr in zip(SIZES[:3], prices):
        P(f"COB-TUB{t}-{c}-6M", f"Tubo de cobre rígido tipo {t} {inch(s)} x 6.10 m",
          "tuberia_cobre", "Nacobre", "tramo", pr, inch(s), ["cobre", "tubo", f"tipo {t.lower()}"])
cu_fit = [
    ("C90", "Codo 90° de cobre", [14.50, 32.00, 68.00], ["codo", "90"]),
    ("C45", "Codo 45° de cobre", [18.00, 38.00], ["codo", "45"]),
    ("TEE", "Tee de cobre", [22.00, 48.00, 98.00], ["tee"]),
    ("CPL", "Cople de cobre", [7.80, 16.50, 32.00], ["cople"]),
    ("CRE", "Conector de cobre rosca exterior", [24.00, 42.00], ["conector", "macho", "rosca"]),
    ("CRI", "Conector de cobre rosca interior", [26.00, 45.00], ["conector", "hembra", "rosca"]),
    ("TAP", "Tapón capa de cobre", [9.50, 18.00], ["tapon"]),
]
for code, base, prices, tags in cu_fit:
    for (s, c), pr in zip(SIZES, prices):
        P(f"COB-{code}-{c}", f"{base} {inch(s)}", "conexiones_cobre", "Nacobre", "pieza",
          pr, inch(s), ["cobre", "conexion", "soldar", *tags])
P("COB-RED-075X050", "Reducción campana de cobre 3/4\" x 1/2\"", "conexiones_cobre", "Nacobre",
  "pieza", 21.00, "3/4\" x 1/2\"", ["cobre", "conexion", "reduccion"])
P("COB-SOL-5050-450", "Soldadura de estaño 50/50 carrete 450 g", "conexiones_cobre", "Truper",
  "pieza", 520.00, None, ["cobre", "soldadura", "estaño"])
P("COB-PAS-060", "Pasta fundente para soldar 60 g", "conexiones_cobre", "Truper",
  "pieza", 48.00, None, ["cobre", "pasta", "soldar"])
P("COB-GAS-400", "Cilindro de gas propano para soplete 400 g", "conexiones_cobre", "Truper",
  "pieza", 165.00, None, ["gas", "soplete", "soldar"])
P("COB-SOP-TRU", "Soplete de gas con encendido automático", "conexiones_cobre", "Truper",
  "pieza", 480.00, None, ["soplete", "soldar", "cobre"])

# --- Galvanizado -------------------------------------------------------------
for (s, c), pr in zip(SIZES[:3], [580.00, 760.00, 1080.00]):
    P(f"GAL-TUB-{c}-6M", f"Tubo galvanizado cédula 40 {inch(s)} x 6.40 m", "galvanizado",
      "Tubacero", "tramo", pr, inch(s), ["galvanizado", "tubo", "acero", "rosca"], heavy=True)
gal_fit = [
    ("C90", "Codo 90° galvanizado", [24.00, 36.00, 58.00], ["codo", "90"]),
    ("TEE", "Tee galvanizada", [30.00, 44.00, 72.00], ["tee"]),
    ("CPL", "Cople galvanizado", [18.00, 26.00, 42.00], ["cople"]),
    ("TUN", "Tuerca unión galvanizada", [68.00, 92.00], ["tuerca union"]),
    ("NIP", "Niple galvanizado 10 cm", [22.00, 31.00], ["niple"]),
    ("TAP", "Tapón capa galvanizado", [16.00], ["tapon"]),
]
for code, base, prices, tags in gal_fit:
    for (s, c), pr in zip(SIZES, prices):
        nm = base.replace(" 10 cm", f" {inch(s)} x 10 cm") if "Niple" in base else f"{base} {inch(s)}"
        P(f"GAL-{code}-{c}", nm, "galvanizado", "Tupy", "pieza", pr, inch(s),
          ["galvanizado", "conexion", "rosca", *tags])
P("GAL-RED-075X050", "Reducción bushing galvanizada 3/4\" x 1/2\"", "galvanizado", "Tupy",
  "pieza", 21.00, "3/4\" x 1/2\"", ["galvanizado", "conexion", "reduccion"])

# --- Sanitario PVC -----------------------------------------------------------
for sku, name, brand, unit, pr, m, tags in [
    ("SAN-TUB-200-6M", "Tubo PVC sanitario 2\" x 6 m", "Amanco", "tramo", 178.00, "2", ["tubo"]),
    ("SAN-TUB-300-6M", "Tubo PVC sanitario 3\" x 6 m", "Amanco", "tramo", 278.00, "3", ["tubo"]),
    ("SAN-TUB-400-6M", "Tubo PVC sanitario 4\" x 6 m", "Amanco", "tramo", 365.00, "4", ["tubo"]),
    ("SAN-TUB-600-6M", "Tubo PVC sanitario 6\" x 6 m", "Amanco", "tramo", 890.00, "6", ["tubo"]),
    ("SAN-C90-200", "Codo 90° PVC sanitario 2\"", "Amanco", "pieza", 19.50, "2", ["codo", "90"]),
    ("SAN-C90-300", "Codo 90° PVC sanitario 3\"", "Amanco", "pieza", 36.00, "3", ["codo", "90"]),
    ("SAN-C90-400", "Codo 90° PVC sanitario 4\"", "Amanco", "pieza", 52.00, "4", ["codo", "90"]),
    ("SAN-C45-200", "Codo 45° PVC sanitario 2\"", "Amanco", "pieza", 18.00, "2", ["codo", "45"]),
    ("SAN-C45-400", "Codo 45° PVC sanitario 4\"", "Amanco", "pieza", 48.00, "4", ["codo", "45"]),
    ("SAN-YEE-200", "Yee PVC sanitaria 2\"", "Amanco", "pieza", 32.00, "2", ["yee"]),
    ("SAN-YEE-400", "Yee PVC sanitaria 4\"", "Amanco", "pieza", 88.00, "4", ["yee"]),
    ("SAN-YEE-400X200", "Yee reducida PVC sanitaria 4\" x 2\"", "Amanco", "pieza", 72.00, "4\" x 2", ["yee", "reduccion"]),
    ("SAN-TEE-200", "Tee PVC sanitaria 2\"", "Amanco", "pieza", 28.00, "2", ["tee"]),
    ("SAN-TEE-400", "Tee PVC sanitaria 4\"", "Amanco", "pieza", 78.00, "4", ["tee"]),
    ("SAN-CPL-200", "Cople PVC sanitario 2\"", "Amanco", "pieza", 12.00, "2", ["cople"]),
    ("SAN-CPL-400", "Cople PVC sanitario 4\"", "Amanco", "pieza", 32.00, "4", ["cople"]),
    ("SAN-RED-400X200", "Reducción PVC sanitaria 4\" x 2\"", "Amanco", "pieza", 38.00, "4\" x 2", ["reduccion"]),
    ("SAN-TRG-400", "Tapón registro PVC sanitario 4\"", "Dica", "pieza", 48.00, "4", ["tapon", "registro"]),
    ("SAN-COL-400", "Coladera de PVC 4\" con rejilla", "Dica", "pieza", 145.00, "4", ["coladera", "rejilla"]),
    ("SAN-CES-LAV", "Céspol de PVC para lavabo 1 1/4\"", "Coflex", "pieza", 78.00, "1 1/4", ["cespol", "lavabo"]),
    ("SAN-CES-FRE", "Céspol flexible para fregadero 1 1/2\"", "Coflex", "pieza", 115.00, "1 1/2", ["cespol", "fregadero"]),
]:
    P(sku, name, "sanitario_pvc", brand, unit, pr, inch(m), ["pvc", "sanitario", "drenaje", *tags])

# --- Tuboplus / PPR ----------------------------------------------------------
for sku, name, unit, pr, m, tags in [
    ("PPR-TUB-050-4M", "Tubo Tuboplus PP-R 1/2\" (20 mm) x 4 m", "tramo", 145.00, "1/2", ["tubo"]),
    ("PPR-TUB-075-4M", "Tubo Tuboplus PP-R 3/4\" (25 mm) x 4 m", "tramo", 235.00, "3/4", ["tubo"]),
    ("PPR-TUB-100-4M", "Tubo Tuboplus PP-R 1\" (32 mm) x 4 m", "tramo", 385.00, "1", ["tubo"]),
    ("PPR-C90-050", "Codo 90° Tuboplus 1/2\" (20 mm)", "pieza", 9.80, "1/2", ["codo", "90"]),
    ("PPR-C90-075", "Codo 90° Tuboplus 3/4\" (25 mm)", "pieza", 15.50, "3/4", ["codo", "90"]),
    ("PPR-C90-100", "Codo 90° Tuboplus 1\" (32 mm)", "pieza", 28.00, "1", ["codo", "90"]),
    ("PPR-C45-050", "Codo 45° Tuboplus 1/2\" (20 mm)", "pieza", 10.50, "1/2", ["codo", "45"]),
    ("PPR-TEE-050", "Tee Tuboplus 1/2\" (20 mm)", "pieza", 12.50, "1/2", ["tee"]),
    ("PPR-TEE-075", "Tee Tuboplus 3/4\" (25 mm)", "pieza", 19.00, "3/4", ["tee"]),
    ("PPR-TEE-100", "Tee Tuboplus 1\" (32 mm)", "pieza", 34.00, "1", ["tee"]),
    ("PPR-CPL-050", "Cople Tuboplus 1/2\" (20 mm)", "pieza", 6.50, "1/2", ["cople"]),
    ("PPR-CPL-075", "Cople Tuboplus 3/4\" (25 mm)", "pieza", 9.80, "3/4", ["cople"]),
    ("PPR-CRM-050", "Conector Tuboplus rosca metálica macho 1/2\"", "pieza", 62.00, "1/2", ["conector", "macho", "rosca"]),
    ("PPR-CRM-075", "Conector Tuboplus rosca metálica macho 3/4\"", "pieza", 88.00, "3/4", ["conector", "macho", "rosca"]),
    ("PPR-CRH-050", "Conector Tuboplus rosca metálica hembra 1/2\"", "pieza", 66.00, "1/2", ["conector", "hembra", "rosca"]),
    ("PPR-CRH-075", "Conector Tuboplus rosca metálica hembra 3/4\"", "pieza", 94.00, "3/4", ["conector", "hembra", "rosca"]),
    ("PPR-TAP-050", "Tapón Tuboplus 1/2\" (20 mm)", "pieza", 7.20, "1/2", ["tapon"]),
    ("PPR-VES-050", "Válvula de esfera Tuboplus 1/2\" (20 mm)", "pieza", 235.00, "1/2", ["valvula", "esfera"]),
    ("PPR-VES-075", "Válvula de esfera Tuboplus 3/4\" (25 mm)", "pieza", 310.00, "3/4", ["valvula", "esfera"]),
]:
    P(sku, name, "ppr_tuboplus", "Tuboplus", unit, pr, inch(m), ["tuboplus", "ppr", "termofusion", *tags])
P("PPR-TERMO-KIT", "Termofusor Tuboplus 800 W con dados de 20 a 32 mm", "ppr_tuboplus", "Tuboplus",
  "juego", 1690.00, None, ["tuboplus", "ppr", "termofusor", "herramienta"])
P("PPR-TIJ-042", "Tijera cortatubo para PP-R hasta 42 mm", "ppr_tuboplus", "Tuboplus",
  "pieza", 245.00, None, ["tuboplus", "ppr", "cortatubo", "herramienta"])

# --- Mangueras ---------------------------------------------------------------
for sku, name, brand, unit, pr, m, tags in [
    ("MAN-TRU-050-15M", "Manguera reforzada 1/2\" x 15 m", "Truper", "rollo", 285.00, inch("1/2"), ["jardin", "reforzada"]),
    ("MAN-TRU-050-30M", "Manguera reforzada 1/2\" x 30 m", "Truper", "rollo", 520.00, inch("1/2"), ["jardin", "reforzada"]),
    ("MAN-PRE-050-10M", "Manguera para jardín 1/2\" x 10 m", "Pretul", "rollo", 129.00, inch("1/2"), ["jardin"]),
    ("MAN-NIV-516", "Manguera de nivel cristal 5/16\"", "Truper", "metro", 9.50, inch("5/16"), ["nivel", "transparente"]),
    ("MAN-COF-LAV-040", "Manguera flexible para lavabo 1/2\" x 1/2\" x 40 cm", "Coflex", "pieza", 72.00, inch("1/2"), ["flexible", "lavabo", "coflex"]),
    ("MAN-COF-LAV-060", "Manguera flexible para lavabo 1/2\" x 1/2\" x 60 cm", "Coflex", "pieza", 88.00, inch("1/2"), ["flexible", "lavabo", "coflex"]),
    ("MAN-COF-WC-040", "Manguera flexible para WC 7/8\" x 1/2\" x 40 cm", "Coflex", "pieza", 68.00, inch("1/2"), ["flexible", "wc", "coflex"]),
    ("MAN-COF-CAL-040", "Conector flexible para calentador 3/4\" x 40 cm acero inoxidable", "Coflex", "pieza", 135.00, inch("3/4"), ["flexible", "calentador", "coflex"]),
    ("MAN-COF-GAS-150", "Manguera para gas 3/8\" x 1.5 m", "Coflex", "pieza", 155.00, inch("3/8"), ["gas", "coflex"]),
]:
    P(sku, name, "mangueras", brand, unit, pr, m, ["manguera", *tags])

# --- Válvulas y llaves -------------------------------------------------------
for sku, name, brand, pr, m, tags in [
    ("VAL-URR-PAS-050", "Llave de paso de compuerta bronce 1/2\"", "Urrea", 145.00, "1/2", ["llave de paso", "compuerta", "bronce"]),
    ("VAL-URR-PAS-075", "Llave de paso de compuerta bronce 3/4\"", "Urrea", 215.00, "3/4", ["llave de paso", "compuerta", "bronce"]),
    ("VAL-DIC-ESF-050", "Válvula de esfera PVC cementar 1/2\"", "Dica", 42.00, "1/2", ["valvula", "esfera", "pvc"]),
    ("VAL-DIC-ESF-075", "Válvula de esfera PVC cementar 3/4\"", "Dica", 58.00, "3/4", ["valvula", "esfera", "pvc"]),
    ("VAL-DIC-ESF-100", "Válvula de esfera PVC cementar 1\"", "Dica", 88.00, "1", ["valvula", "esfera", "pvc"]),
    ("VAL-DIC-ESF-200", "Válvula de esfera PVC cementar 2\"", "Dica", 245.00, "2", ["valvula", "esfera", "pvc"]),
    ("VAL-URR-ESF-050", "Válvula de esfera bronce rosca 1/2\"", "Urrea", 168.00, "1/2", ["valvula", "esfera", "bronce"]),
    ("VAL-URR-ESF-075", "Válvula de esfera bronce rosca 3/4\"", "Urrea", 245.00, "3/4", ["valvula", "esfera", "bronce"]),
    ("VAL-URR-ESF-100", "Válvula de esfera bronce rosca 1\"", "Urrea", 395.00, "1", ["valvula", "esfera", "bronce"]),
    ("VAL-URR-NAR-050", "Llave de nariz bronce 1/2\"", "Urrea", 118.00, "1/2", ["llave de nariz", "bronce"]),
    ("VAL-PRE-NAR-050", "Llave de nariz 1/2\" económica", "Pretul", 72.00, "1/2", ["llave de nariz"]),
    ("VAL-FOS-JAR-050", "Llave para jardín con rosca para manguera 1/2\"", "Foset", 89.00, "1/2", ["llave", "jardin", "manguera"]),
    ("VAL-COF-ANG-050", "Llave angular de control 1/2\" x 3/8\"", "Coflex", 82.00, "1/2", ["llave angular", "control", "lavabo", "wc"]),
    ("VAL-URR-CHK-050", "Válvula check columpio bronce 1/2\"", "Urrea", 165.00, "1/2", ["valvula", "check", "retencion"]),
    ("VAL-URR-CHK-100", "Válvula check columpio bronce 1\"", "Urrea", 285.00, "1", ["valvula", "check", "retencion"]),
    ("VAL-TRU-PIE-100", "Válvula de pie (pichancha) 1\"", "Truper", 165.00, "1", ["valvula", "pie", "pichancha", "bomba"]),
]:
    P(sku, name, "valvulas_llaves", brand, "pieza", pr, inch(m), tags)

# --- Mezcladoras y regaderas -------------------------------------------------
for sku, name, brand, unit, pr, m, tags in [
    ("MEZ-FOS-LAV-MONO", "Mezcladora monomando para lavabo cromada", "Foset", "pieza", 689.00, None, ["mezcladora", "lavabo", "monomando"]),
    ("MEZ-FOS-FRE-080", "Mezcladora para fregadero 8\" cromada", "Foset", "pieza", 899.00, inch("8"), ["mezcladora", "fregadero", "cocina"]),
    ("MEZ-HEL-LAV-040", "Mezcladora para lavabo 4\" cromada", "Helvex", "pieza", 2350.00, inch("4"), ["mezcladora", "lavabo"]),
    ("MEZ-HEL-FRE-MONO", "Mezcladora monomando para fregadero cuello de ganso", "Helvex", "pieza", 3180.00, None, ["mezcladora", "fregadero", "monomando"]),
    ("MEZ-URR-REG-2M", "Mezcladora para regadera 2 manerales", "Urrea", "pieza", 1450.00, None, ["mezcladora", "regadera"]),
    ("REG-FOS-040", "Regadera cromada fija 4\"", "Foset", "pieza", 189.00, inch("4"), ["regadera"]),
    ("REG-HEL-080", "Regadera redonda 8\" cromada", "Helvex", "pieza", 1290.00, inch("8"), ["regadera"]),
    ("REG-FOS-TEL", "Regadera de teléfono con manguera 1.5 m", "Foset", "pieza", 265.00, None, ["regadera", "telefono"]),
    ("REG-COF-BRA-30", "Brazo para regadera cromado 30 cm", "Coflex", "pieza", 58.00, None, ["regadera", "brazo"]),
    ("REG-URR-MAN-JGO", "Juego de manerales para regadera", "Urrea", "juego", 520.00, None, ["regadera", "manerales"]),
]:
    P(sku, name, "mezcladoras_regaderas", brand, unit, pr, m, tags)

# --- Flotadores y accesorios WC ---------------------------------------------
for sku, name, brand, unit, pr, m, tags in [
    ("FLO-COF-050", "Flotador para tinaco 1/2\"", "Coflex", "pieza", 98.00, inch("1/2"), ["flotador", "tinaco"]),
    ("FLO-ROT-075", "Flotador para tinaco 3/4\"", "Rotoplas", "pieza", 125.00, inch("3/4"), ["flotador", "tinaco"]),
    ("WC-COF-VLL", "Válvula de llenado universal para WC", "Coflex", "pieza", 118.00, None, ["wc", "valvula", "llenado"]),
    ("WC-COF-VDS", "Válvula de descarga para WC 2\"", "Coflex", "pieza", 95.00, inch("2"), ["wc", "valvula", "descarga"]),
    ("WC-COF-SAP", "Sapo (pera) de hule para WC", "Coflex", "pieza", 38.00, None, ["wc", "sapo", "pera"]),
    ("WC-COF-HER", "Juego de herrajes completo para WC", "Coflex", "juego", 245.00, None, ["wc", "herrajes"]),
    ("WC-COF-PAL", "Palanca cromada para tanque de WC", "Coflex", "pieza", 48.00, None, ["wc", "palanca"]),
    ("WC-DIC-CER", "Cuello de cera para WC con guía", "Dica", "pieza", 32.00, None, ["wc", "cera", "sello"]),
    ("WC-DIC-TOR", "Juego de tornillos para taza de WC", "Dica", "juego", 28.00, None, ["wc", "tornillos"]),
    ("WC-FOS-ASI", "Asiento para WC redondo blanco", "Foset", "pieza", 215.00, None, ["wc", "asiento"]),
    ("WC-HEL-FLX", "Fluxómetro de manija para WC", "Helvex", "pieza", 3890.00, None, ["wc", "fluxometro"]),
]:
    P(sku, name, "flotadores_wc", brand, unit, pr, m, tags)

# --- Tinacos y cisternas -----------------------------------------------------
for sku, name, unit, pr, tags, heavy in [
    ("TIN-ROT-0450", "Tinaco Rotoplas 450 L", "pieza", 1980.00, ["tinaco", "450 l"], True),
    ("TIN-ROT-0750", "Tinaco Rotoplas 750 L", "pieza", 2650.00, ["tinaco", "750 l"], True),
    ("TIN-ROT-1100", "Tinaco Rotoplas 1100 L", "pieza", 3180.00, ["tinaco", "1100 l"], True),
    ("TIN-ROT-2500", "Tinaco Rotoplas 2500 L", "pieza", 7350.00, ["tinaco", "2500 l"], True),
    ("CIS-ROT-2800", "Cisterna Rotoplas 2800 L", "pieza", 11900.00, ["cisterna", "2800 l"], True),
    ("CIS-ROT-5000", "Cisterna Rotoplas 5000 L", "pieza", 18900.00, ["cisterna", "5000 l"], True),
    ("TIN-ROT-MULTI", "Multiconector para tinaco", "pieza", 189.00, ["tinaco", "multiconector"], False),
    ("TIN-ROT-FILT", "Filtro de sedimentos para tinaco", "pieza", 320.00, ["tinaco", "filtro"], False),
    ("TIN-ROT-KIT", "Kit de accesorios para tinaco", "juego", 285.00, ["tinaco", "accesorios", "kit"], False),
]:
    P(sku, name, "tinacos_cisternas", "Rotoplas", unit, pr, None, ["agua", "almacenamiento", *tags], heavy=heavy)

# --- Bombas ------------------------------------------------------------------
for sku, name, brand, pr, m, tags, heavy in [
    ("BOM-TRU-PER-050", "Bomba periférica 1/2 HP", "Truper", 1390.00, None, ["bomba", "periferica", "1/2 hp"], False),
    ("BOM-TRU-PER-100", "Bomba periférica 1 HP", "Truper", 2190.00, None, ["bomba", "periferica", "1 hp"], False),
    ("BOM-TRU-CEN-100", "Bomba centrífuga 1 HP", "Truper", 2950.00, None, ["bomba", "centrifuga", "1 hp"], False),
    ("BOM-TRU-SUM-050", "Bomba sumergible para agua limpia 1/2 HP", "Truper", 2450.00, None, ["bomba", "sumergible"], False),
    ("BOM-ROT-PRE-050", "Bomba presurizadora 1/2 HP", "Rotoplas", 4200.00, None, ["bomba", "presurizadora"], True),
    ("BOM-TRU-HID-24", "Tanque hidroneumático 24 L", "Truper", 2390.00, None, ["hidroneumatico", "tanque", "bomba"], True),
    ("BOM-TRU-ELN", "Control de nivel (electronivel) para bomba", "Truper", 215.00, None, ["electronivel", "control", "bomba"], False),
]:
    P(sku, name, "bombas", brand, "pieza", pr, m, tags, heavy=heavy)

# --- Calentadores ------------------------------------------------------------
for sku, name, brand, pr, tags in [
    ("CAL-CLX-PASO-06", "Calentador de paso gas LP 6 L/min", "Calorex", 4390.00, ["calentador", "paso", "gas lp"]),
    ("CAL-CLX-DEP-40", "Calentador de depósito 40 L gas LP", "Calorex", 6890.00, ["calentador", "deposito", "gas lp"]),
    ("CAL-CIN-DEP-62", "Calentador de depósito 62 L gas natural", "Cinsa", 7950.00, ["calentador", "deposito", "gas natural"]),
    ("CAL-CIN-INST-13", "Calentador instantáneo 13 L/min gas LP", "Cinsa", 5690.00, ["calentador", "instantaneo", "gas lp"]),
    ("CAL-ROT-SOL-150", "Calentador solar 150 L 12 tubos", "Rotoplas", 10900.00, ["calentador", "solar"]),
]:
    P(sku, name, "calentadores", brand, "pieza", pr, None, tags, heavy=True)

# --- Selladores y adhesivos --------------------------------------------------
for sku, name, brand, unit, pr, m, tags in [
    ("SEL-TRU-TEF-050", "Cinta teflón 1/2\" x 10 m", "Truper", "rollo", 8.50, inch("1/2"), ["cinta", "teflon"]),
    ("SEL-TRU-TEF-075", "Cinta teflón 3/4\" x 13 m", "Truper", "rollo", 12.50, inch("3/4"), ["cinta", "teflon"]),
    ("SEL-AMA-CEM-125", "Cemento para PVC 125 ml", "Amanco", "pieza", 68.00, None, ["pegamento", "cemento", "pvc"]),
    ("SEL-AMA-CEM-250", "Cemento para PVC 250 ml", "Amanco", "pieza", 118.00, None, ["pegamento", "cemento", "pvc"]),
    ("SEL-AMA-CEM-1L", "Cemento para PVC 1 L", "Amanco", "litro", 365.00, None, ["pegamento", "cemento", "pvc"]),
    ("SEL-AMA-LIM-250", "Limpiador para PVC 250 ml", "Amanco", "pieza", 85.00, None, ["limpiador", "pvc"]),
    ("SEL-AMA-CPV-118", "Cemento para CPVC 118 ml", "Amanco", "pieza", 145.00, None, ["pegamento", "cemento", "cpvc"]),
    ("SEL-SIS-SIL-TRA", "Silicón acético transparente 280 ml", "Sista", "pieza", 98.00, None, ["silicon", "sellador"]),
    ("SEL-SIS-SIL-SAN", "Silicón sanitario blanco antihongos 280 ml", "Sista", "pieza", 112.00, None, ["silicon", "sanitario", "sellador"]),
    ("SEL-SIK-PU-300", "Sellador de poliuretano Sikaflex-1A 300 ml", "Sika", "pieza", 189.00, None, ["sellador", "poliuretano"]),
    ("SEL-TRU-PAS-4OZ", "Pasta sellarroscas 4 oz", "Truper", "pieza", 72.00, None, ["sellador", "rosca", "pasta"]),
    ("SEL-PRE-EST-KG", "Estopa blanca", "Pretul", "kg", 58.00, None, ["estopa", "limpieza"]),
]:
    P(sku, name, "selladores_adhesivos", brand, unit, pr, m, tags)

# --- Tornillería y fijación (Fiero = tornillería Truper) ---------------------
for sku, name, unit, pr, m, tags in [
    ("TOR-FIE-PTR-6X1", "Pija para tablaroca 6 x 1\" (caja con 1000)", "caja", 145.00, inch("1"), ["pija", "tablaroca"]),
    ("TOR-FIE-PBR-8X34", "Pija punta broca 8 x 3/4\" (caja con 100)", "caja", 98.00, inch("3/4"), ["pija", "punta broca", "lamina"]),
    ("TOR-FIE-PMA-10X112", "Pija para madera 10 x 1 1/2\" (caja con 100)", "caja", 85.00, inch("1 1/2"), ["pija", "madera"]),
    ("TOR-FIE-HEX-14X2", "Tornillo hexagonal galvanizado 1/4\" x 2\" (caja con 100)", "caja", 165.00, inch("1/4"), ["tornillo", "hexagonal"]),
    ("TOR-FIE-HEX-38X3", "Tornillo hexagonal galvanizado 3/8\" x 3\" (caja con 50)", "caja", 295.00, inch("3/8"), ["tornillo", "hexagonal"]),
    ("TOR-FIE-TUE-38", "Tuerca hexagonal galvanizada 3/8\" (caja con 100)", "caja", 89.00, inch("3/8"), ["tuerca"]),
    ("TOR-FIE-RON-38", "Rondana plana galvanizada 3/8\" (caja con 100)", "caja", 58.00, inch("3/8"), ["rondana", "arandela"]),
    ("TAQ-FIE-PLA-14", "Taquete de plástico 1/4\" (caja con 100)", "caja", 45.00, inch("1/4"), ["taquete", "plastico"]),
    ("TAQ-FIE-PLA-516", "Taquete de plástico 5/16\" (caja con 100)", "caja", 62.00, inch("5/16"), ["taquete", "plastico"]),
    ("TAQ-FIE-EXP-38", "Taquete expansivo metálico 3/8\" (caja con 25)", "caja", 185.00, inch("3/8"), ["taquete", "expansivo", "metalico"]),
    ("TAQ-FIE-MAR-14", "Taquete mariposa para tablaroca 1/4\" (caja con 50)", "caja", 125.00, inch("1/4"), ["taquete", "mariposa", "tablaroca"]),
    ("CLA-FIE-EST-212", "Clavo estándar con cabeza 2 1/2\"", "kg", 42.00, inch("2 1/2"), ["clavo"]),
    ("CLA-FIE-EST-300", "Clavo estándar con cabeza 3\"", "kg", 41.00, inch("3"), ["clavo"]),
    ("CLA-FIE-CON-200", "Clavo para concreto 2\"", "kg", 78.00, inch("2"), ["clavo", "concreto"]),
    ("ALA-FIE-REC-16", "Alambre recocido calibre 16", "kg", 38.00, None, ["alambre", "recocido"]),
    ("ABR-FIE-OME-050", "Abrazadera omega galvanizada 1/2\" (caja con 100)", "caja", 110.00, inch("1/2"), ["abrazadera", "omega", "tubo"]),
    ("ABR-FIE-SFN-125", "Abrazadera sin fin 1/2\" a 1 1/4\"", "pieza", 12.50, inch("1 1/4"), ["abrazadera", "sin fin", "manguera"]),
]:
    P(sku, name, "tornilleria_fijacion", "Fiero", unit, pr, m, ["fijacion", *tags])

# --- Brocas y discos ---------------------------------------------------------
for sku, name, unit, pr, m, tags in [
    ("BRO-TRU-CON-14", "Broca para concreto 1/4\"", "pieza", 42.00, inch("1/4"), ["broca", "concreto"]),
    ("BRO-TRU-CON-516", "Broca para concreto 5/16\"", "pieza", 52.00, inch("5/16"), ["broca", "concreto"]),
    ("BRO-TRU-CON-38", "Broca para concreto 3/8\"", "pieza", 68.00, inch("3/8"), ["broca", "concreto"]),
    ("BRO-TRU-CON-12", "Broca para concreto 1/2\"", "pieza", 98.00, inch("1/2"), ["broca", "concreto"]),
    ("BRO-TRU-MET-J13", "Juego de brocas para metal HSS 13 piezas", "juego", 289.00, None, ["broca", "metal", "juego"]),
    ("BRO-TRU-SIE-200", "Broca sierra bimetálica 2\"", "pieza", 185.00, inch("2"), ["broca", "sierra", "copa"]),
    ("DIS-TRU-COR-412", "Disco de corte para metal 4 1/2\"", "pieza", 19.50, inch("4 1/2"), ["disco", "corte", "metal"]),
    ("DIS-TRU-COR-700", "Disco de corte para metal 7\"", "pieza", 42.00, inch("7"), ["disco", "corte", "metal"]),
    ("DIS-TRU-DIA-412", "Disco de diamante rin continuo 4 1/2\"", "pieza", 165.00, inch("4 1/2"), ["disco", "diamante", "concreto"]),
    ("DIS-TRU-DES-412", "Disco de desbaste para metal 4 1/2\"", "pieza", 38.00, inch("4 1/2"), ["disco", "desbaste"]),
    ("DIS-TRU-FLP-412", "Disco flap lija grano 60 4 1/2\"", "pieza", 32.00, inch("4 1/2"), ["disco", "flap", "lija"]),
]:
    P(sku, name, "brocas_discos", "Truper", unit, pr, m, tags)

# --- Herramientas ------------------------------------------------------------
for sku, name, brand, unit, pr, m, tags in [
    ("HER-TRU-PPR-10", "Pinzas de presión 10\"", "Truper", "pieza", 189.00, inch("10"), ["pinzas", "presion"]),
    ("HER-TRU-PEL-08", "Pinzas de electricista 8\"", "Truper", "pieza", 198.00, inch("8"), ["pinzas", "electricista"]),
    ("HER-TRU-PCH-08", "Pinzas de chofer 8\"", "Truper", "pieza", 125.00, inch("8"), ["pinzas", "chofer"]),
    ("HER-TRU-PPL-10", "Pinzas pico de loro 10\"", "Truper", "pieza", 215.00, inch("10"), ["pinzas", "pico de loro"]),
    ("HER-PRE-PCH-08", "Pinzas de chofer 8\" línea económica", "Pretul", "pieza", 78.00, inch("8"), ["pinzas", "chofer"]),
    ("HER-TRU-STI-10", "Llave stilson 10\"", "Truper", "pieza", 265.00, inch("10"), ["llave", "stilson", "tubo"]),
    ("HER-TRU-STI-14", "Llave stilson 14\"", "Truper", "pieza", 398.00, inch("14"), ["llave", "stilson", "tubo"]),
    ("HER-TRU-STI-18", "Llave stilson 18\"", "Truper", "pieza", 620.00, inch("18"), ["llave", "stilson", "tubo"]),
    ("HER-TRU-STI-24", "Llave stilson 24\"", "Truper", "pieza", 1150.00, inch("24"), ["llave", "stilson", "tubo"]),
    ("HER-URR-PER-10", "Llave perica (ajustable) 10\"", "Urrea", "pieza", 289.00, inch("10"), ["llave", "perica", "ajustable"]),
    ("HER-URR-DES-J6", "Juego de desarmadores 6 piezas", "Urrea", "juego", 320.00, None, ["desarmador", "juego"]),
    ("HER-TRU-ARC-12", "Arco para segueta 12\"", "Truper", "pieza", 145.00, inch("12"), ["arco", "segueta"]),
    ("HER-TRU-SEG-18D", "Segueta bimetálica 12\" 18 dientes", "Truper", "pieza", 24.00, inch("12"), ["segueta", "corte"]),
    ("HER-TRU-CTC-118", "Cortatubos para cobre 1/8\" a 1 1/8\"", "Truper", "pieza", 215.00, inch("1 1/8"), ["cortatubos", "cobre"]),
    ("HER-TRU-CTP-158", "Tijera cortatubos para PVC hasta 1 5/8\"", "Truper", "pieza", 265.00, inch("1 5/8"), ["cortatubos", "pvc", "tijera"]),
    ("HER-TRU-TAR-114", "Tarraja para tubo 1/2\" a 1 1/4\"", "Truper", "juego", 1290.00, None, ["tarraja", "rosca", "galvanizado"]),
    ("HER-TRU-MAR-16", "Martillo de uña 16 oz", "Truper", "pieza", 165.00, None, ["martillo", "uña"]),
    ("HER-PRE-MAR-16", "Martillo de uña 16 oz mango de fibra de vidrio", "Pretul", "pieza", 95.00, None, ["martillo", "uña"]),
    ("HER-TRU-MRR-4LB", "Marro octagonal 4 lb", "Truper", "pieza", 245.00, None, ["marro"]),
    ("HER-TRU-FLX-5M", "Flexómetro 5 m", "Truper", "pieza", 95.00, None, ["flexometro", "medicion"]),
    ("HER-TRU-FLX-8M", "Flexómetro 8 m", "Truper", "pieza", 145.00, None, ["flexometro", "medicion"]),
    ("HER-TRU-NIV-09", "Nivel torpedo magnético 9\"", "Truper", "pieza", 85.00, inch("9"), ["nivel", "medicion"]),
    ("HER-TRU-SON-75", "Sonda destapacaños 7.5 m", "Truper", "pieza", 265.00, None, ["sonda", "destapacaños", "drenaje"]),
    ("HER-PRE-CHU", "Bomba destapacaños (chupón)", "Pretul", "pieza", 45.00, None, ["chupon", "destapacaños", "wc"]),
    ("HER-TRU-PIS-SIL", "Pistola para silicón", "Truper", "pieza", 89.00, None, ["pistola", "silicon"]),
    ("HER-TRU-CUC-10", "Cuchara de albañil 10\"", "Truper", "pieza", 98.00, inch("10"), ["cuchara", "albañil"]),
    ("HER-TRU-ROT-12", "Rotomartillo 1/2\" 800 W", "Truper", "pieza", 1690.00, inch("1/2"), ["rotomartillo", "electrica", "taladro"]),
    ("HER-TRU-ESM-412", "Esmeriladora angular 4 1/2\" 750 W", "Truper", "pieza", 1150.00, inch("4 1/2"), ["esmeriladora", "electrica"]),
]:
    P(sku, name, "herramientas", brand, unit, pr, m, ["herramienta", *tags])

# --- Material eléctrico ------------------------------------------------------
for sku, name, brand, unit, pr, tags in [
    ("ELE-CON-THW12-100", "Cable THW-LS calibre 12 AWG rollo 100 m", "Condumex", "rollo", 1390.00, ["cable", "thw", "calibre 12"]),
    ("ELE-CON-THW14-100", "Cable THW-LS calibre 14 AWG rollo 100 m", "Condumex", "rollo", 980.00, ["cable", "thw", "calibre 14"]),
    ("ELE-CON-THW10-100", "Cable THW-LS calibre 10 AWG rollo 100 m", "Condumex", "rollo", 2150.00, ["cable", "thw", "calibre 10"]),
    ("ELE-CON-THW12-MT", "Cable THW-LS calibre 12 AWG (por metro)", "Condumex", "metro", 15.50, ["cable", "thw", "calibre 12"]),
    ("ELE-CON-THW14-MT", "Cable THW-LS calibre 14 AWG (por metro)", "Condumex", "metro", 10.80, ["cable", "thw", "calibre 14"]),
    ("ELE-VOL-APA-SEN", "Apagador sencillo", "Volteck", "pieza", 28.00, ["apagador"]),
    ("ELE-VOL-APA-3V", "Apagador de escalera (3 vías)", "Volteck", "pieza", 42.00, ["apagador", "escalera"]),
    ("ELE-VOL-CON-DUP", "Contacto dúplex polarizado", "Volteck", "pieza", 32.00, ["contacto", "duplex"]),
    ("ELE-VOL-CON-GFCI", "Contacto con protección GFCI", "Volteck", "pieza", 289.00, ["contacto", "gfci"]),
    ("ELE-VOL-PLA-1V", "Placa de 1 ventana blanca", "Volteck", "pieza", 12.00, ["placa"]),
    ("ELE-VOL-CHA-2X4", "Chalupa galvanizada 2\" x 4\"", "Volteck", "pieza", 14.00, ["chalupa", "caja"]),
    ("ELE-VOL-CND-050", "Tubo conduit PVC ligero 1/2\" x 3 m", "Volteck", "tramo", 22.00, ["conduit", "tubo"]),
    ("ELE-VOL-LED-09", "Foco LED 9 W luz blanca", "Volteck", "pieza", 32.00, ["foco", "led"]),
    ("ELE-VOL-EXT-05", "Extensión eléctrica uso rudo 5 m", "Volteck", "pieza", 145.00, ["extension"]),
    ("ELE-TRU-CIN-18", "Cinta de aislar 19 mm x 18 m", "Truper", "rollo", 18.50, ["cinta", "aislar"]),
    ("ELE-3M-CIN-TEM", "Cinta de aislar Temflex 19 mm x 18 m", "3M", "rollo", 29.00, ["cinta", "aislar"]),
    ("ELE-SQD-CC-2P", "Centro de carga 2 polos", "Square D", "pieza", 265.00, ["centro de carga"]),
    ("ELE-SQD-TM-120", "Interruptor termomagnético 1 polo 20 A", "Square D", "pieza", 145.00, ["pastilla", "termomagnetico"]),
]:
    measure = None
    if "1/2" in name:
        measure = inch("1/2")
    P(sku, name, "material_electrico", brand, unit, pr, measure, ["electrico", *tags])

# --- Pinturas e impermeabilizantes ------------------------------------------
for sku, name, brand, unit, pr, tags in [
    ("IMP-FES-A03-19", "Impermeabilizante acrílico 3 años blanco 19 L", "Fester", "pieza", 1090.00, ["impermeabilizante", "acrilico", "3 años"]),
    ("IMP-FES-A05-19", "Impermeabilizante acrílico 5 años blanco 19 L", "Fester", "pieza", 1590.00, ["impermeabilizante", "acrilico", "5 años"]),
    ("IMP-FES-A10-19", "Impermeabilizante acrílico 10 años blanco 19 L", "Fester", "pieza", 2480.00, ["impermeabilizante", "acrilico", "10 años"]),
    ("IMP-FES-A05-04", "Impermeabilizante acrílico 5 años rojo 4 L", "Fester", "pieza", 420.00, ["impermeabilizante", "acrilico", "5 años"]),
    ("IMP-FES-SEL-19", "Sellador acrílico para impermeabilizante 19 L", "Fester", "pieza", 890.00, ["sellador", "impermeabilizante"]),
    ("IMP-FES-MAL-100", "Malla de refuerzo de poliéster 1.10 x 100 m", "Fester", "rollo", 890.00, ["malla", "refuerzo", "impermeabilizante"]),
    ("PIN-COM-VIN-19", "Pintura vinil-acrílica blanca 19 L", "Comex", "pieza", 2250.00, ["pintura", "vinilica"]),
    ("PIN-COM-VIN-04", "Pintura vinil-acrílica blanca 4 L", "Comex", "pieza", 520.00, ["pintura", "vinilica"]),
    ("PIN-COM-ESM-NEG", "Esmalte alquidálico negro brillante", "Comex", "litro", 185.00, ["pintura", "esmalte"]),
    ("PIN-COM-PRI-GRI", "Primario anticorrosivo gris", "Comex", "litro", 165.00, ["primario", "anticorrosivo"]),
    ("PIN-COM-THI-STD", "Thinner estándar", "Comex", "litro", 48.00, ["thinner", "solvente"]),
    ("PIN-TRU-BRO-03", "Brocha de cerda 3\"", "Truper", "pieza", 48.00, ["brocha"]),
    ("PIN-TRU-ROD-09", "Rodillo de felpa 9\" con maneral", "Truper", "pieza", 85.00, ["rodillo"]),
]:
    measure = inch("3") if sku == "PIN-TRU-BRO-03" else inch("9") if sku == "PIN-TRU-ROD-09" else None
    P(sku, name, "pinturas_impermeabilizantes", brand, unit, pr, measure, tags)


def build_catalog(rng: random.Random) -> list[dict]:
    products = []
    for p in _products:
        price = Decimal(p["list_price"])
        if price < 30:
            rop = rng.choice([80, 100, 120, 150, 200, 250])
        elif price < 150:
            rop = rng.choice([30, 40, 50, 60, 80])
        elif price < 600:
            rop = rng.choice([10, 12, 15, 20, 25])
        elif price < 2500:
            rop = rng.choice([4, 5, 6, 8, 10])
        else:
            rop = rng.choice([2, 3, 4])
        # a healthy stock level: 1.3x - 4x the reorder point
        stock = int(rop * rng.uniform(1.3, 4.0)) + rng.randint(1, 5)
        sup = BRAND_SUPPLIER[p["brand"]]
        lead = SUP_LEAD[sup] + rng.randint(-1, 3) + (rng.randint(3, 8) if p["_heavy"] else 0)
        lead = max(2, min(21, lead))
        tags = list(dict.fromkeys(p["tags"]))
        products.append({
            "sku": p["sku"], "name": p["name"], "category": p["category"], "brand": p["brand"],
            "unit": p["unit"], "list_price": p["list_price"], "stock": stock,
            "reorder_point": rop, "lead_time_days": lead, "supplier_id": sup,
            "measure": p["measure"], "tags": tags,
        })
    # ~8 % at or below reorder point, of which 5 are completely out of stock
    n_low = round(len(products) * 0.08)
    low = rng.sample(range(len(products)), n_low)
    for k, idx in enumerate(low):
        p = products[idx]
        if k < 5:
            p["stock"] = 0
        else:
            p["stock"] = rng.randint(max(1, p["reorder_point"] // 4), p["reorder_point"])
    return products


# ---------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------
RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
HOMO_CHARS = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
STOP = {"DE", "DEL", "LA", "LAS", "LOS", "EL", "Y", "S.A.", "C.V.", "S.", "R.L.", "S.A.P.I.", "S.A.B."}


def rfc_check_digit(base11_or_12: str) -> str:
    n = ("   " + base11_or_12)[-12:]
    s = sum(RFC_ALPHABET.index(c) * (13 - i) for i, c in enumerate(n))
    return RFC_ALPHABET[(11 - s) % 11]


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def rfc_moral(business: str, founded: date, rng: random.Random) -> str:
    legal = business.split(" S.A.")[0].split(" S. de R.L.")[0]
    words = [w for w in strip_accents(legal).upper().split() if w not in STOP]
    letters = "".join(w[0] for w in words[:3])
    if len(letters) < 3:
        letters = (letters + words[-1][1:])[:3]
    base = letters + founded.strftime("%y%m%d") + rng.choice(HOMO_CHARS) + rng.choice(HOMO_CHARS)
    return base + rfc_check_digit(base)


def rfc_fisica(nombre: str, paterno: str, materno: str, born: date, rng: random.Random) -> str:
    pat, mat = strip_accents(paterno).upper(), strip_accents(materno).upper()
    names = strip_accents(nombre).upper().split()
    first = names[1] if len(names) > 1 and names[0] in {"JOSE", "MARIA", "J", "MA"} else names[0]
    vowel = next(ch for ch in pat[1:] if ch in "AEIOU")
    letters = pat[0] + vowel + mat[0] + first[0]
    base = letters + born.strftime("%y%m%d") + rng.choice(HOMO_CHARS) + rng.choice(HOMO_CHARS)
    return base + rfc_check_digit(base)


CITY_LADA = {"Ciudad de México": "55", "Guadalajara": "33", "Monterrey": "81",
             "Puebla": "222", "Querétaro": "442"}

# (trade name, legal name | None for persona física, persona física parts | None,
#  city, tier, credit_limit, terms, payment behaviour, email local part)
CUSTOMER_SPECS = [
    ("Plomería Hernández", None, ("José Luis", "Hernández", "Ortega"), "Ciudad de México", "bronze", "5000.00", 15, "late_small", "plomeria.hernandez"),
    ("Constructora Valle de Anáhuac", "Constructora Valle de Anáhuac S.A. de C.V.", None, "Ciudad de México", "platinum", "450000.00", 60, "punctual", "compras"),
    ("Ferretería La Llave de Iztapalapa", "Ferretería La Llave de Iztapalapa S.A. de C.V.", None, "Ciudad de México", "gold", "150000.00", 30, "punctual", "pedidos"),
    ("Hidrosanitarios Coyoacán", "Hidrosanitarios Coyoacán S.A. de C.V.", None, "Ciudad de México", "silver", "60000.00", 30, "slightly_late", "compras"),
    ("Grupo Edificador Tlalpan", "Grupo Edificador Tlalpan S.A. de C.V.", None, "Ciudad de México", "gold", "200000.00", 45, "chronic_late", "cuentasporpagar"),
    ("Mantenimiento Integral Roma", "Mantenimiento Integral Roma S. de R.L. de C.V.", None, "Ciudad de México", "silver", "40000.00", 30, "punctual", "administracion"),
    ("Plomería y Gas Ramírez", None, ("Miguel Ángel", "Ramírez", "Soto"), "Ciudad de México", "bronze", "8000.00", 15, "delinquent", "plomeria.ramirez"),
    ("Ferretera Tapatía del Sur", "Ferretera Tapatía del Sur S.A. de C.V.", None, "Guadalajara", "gold", "120000.00", 30, "slightly_late", "compras"),
    ("Constructora Los Arcos de Zapopan", "Constructora Los Arcos de Zapopan S.A. de C.V.", None, "Guadalajara", "platinum", "380000.00", 60, "slightly_late", "tesoreria"),
    ("Instalaciones Hidráulicas Chapala", "Instalaciones Hidráulicas Chapala S.A. de C.V.", None, "Guadalajara", "silver", "50000.00", 30, "partial_payer", "facturacion"),
    ("Plomería Núñez", None, ("Ricardo", "Núñez", "Villaseñor"), "Guadalajara", "bronze", "5000.00", 15, "punctual", "ricardo.nunez"),
    ("Materiales y Acabados Tlaquepaque", "Materiales y Acabados Tlaquepaque S.A. de C.V.", None, "Guadalajara", "silver", "70000.00", 30, "chronic_late", "compras"),
    ("Ferretería Don Chuy", None, ("Jesús", "Gutiérrez", "Camacho"), "Guadalajara", "bronze", "15000.00", 15, "slightly_late", "ferreteria.donchuy"),
    ("Desarrollos Habitacionales Cumbres", "Desarrollos Habitacionales Cumbres S.A. de C.V.", None, "Monterrey", "platinum", "500000.00", 60, "punctual", "proveedores"),
    ("Ferreacero del Norte", "Ferreacero del Norte S.A. de C.V.", None, "Monterrey", "gold", "180000.00", 45, "punctual", "compras"),
    ("Plomería Industrial Regia", "Plomería Industrial Regia S.A. de C.V.", None, "Monterrey", "silver", "60000.00", 30, "delinquent", "contacto"),
    ("Instalaciones Garza", None, ("Héctor", "Garza", "Treviño"), "Monterrey", "bronze", "10000.00", 15, "punctual", "hector.garza"),
    ("Constructora San Pedro Garza", "Constructora San Pedro Garza S.A. de C.V.", None, "Monterrey", "gold", "250000.00", 45, "slightly_late", "pagos"),
    ("Servicios de Mantenimiento Apodaca", "Servicios de Mantenimiento Apodaca S.A. de C.V.", None, "Monterrey", "bronze", "20000.00", 30, "chronic_late", "servicios"),
    ("Ferretería y Tlapalería La Angelópolis", "Ferretería y Tlapalería La Angelópolis S.A. de C.V.", None, "Puebla", "silver", "45000.00", 30, "punctual", "ventas"),
    ("Constructora Cholula Edifica", "Constructora Cholula Edifica S.A. de C.V.", None, "Puebla", "gold", "160000.00", 45, "partial_payer", "compras"),
    ("Plomería Aguilar", None, ("Fernando", "Aguilar", "Xochipa"), "Puebla", "bronze", "5000.00", 15, "delinquent", "fer.aguilar"),
    ("Hidráulica y Riego Atlixco", "Hidráulica y Riego Atlixco S.A. de C.V.", None, "Puebla", "silver", "55000.00", 30, "slightly_late", "riego"),
    ("Grupo Inmobiliario Angelópolis", "Grupo Inmobiliario Angelópolis S.A.P.I. de C.V.", None, "Puebla", "platinum", "400000.00", 60, "chronic_late", "cxp"),
    ("Ferretería El Marqués", "Ferretería El Marqués S.A. de C.V.", None, "Querétaro", "silver", "50000.00", 30, "punctual", "compras"),
    ("Constructora Bajío Querétaro", "Constructora Bajío Querétaro S.A. de C.V.", None, "Querétaro", "gold", "220000.00", 45, "delinquent", "tesoreria"),
    ("Plomería Reséndiz", None, ("Alejandro", "Reséndiz", "Olvera"), "Querétaro", "bronze", "7500.00", 15, "slightly_late", "alex.resendiz"),
    ("Instalaciones Termohidráulicas Juriquilla", "Instalaciones Termohidráulicas Juriquilla S.A. de C.V.", None, "Querétaro", "silver", "65000.00", 30, "punctual", "compras"),
    ("Urbanizadora Corregidora", "Urbanizadora Corregidora S.A. de C.V.", None, "Querétaro", "platinum", "350000.00", 60, "punctual", "pagos"),
    ("Tlapalería Santa Rosa", None, ("María Guadalupe", "Hernández", "Uribe"), "Querétaro", "bronze", "12000.00", 15, "chronic_late", "tlapaleria.santarosa"),
]


def slug(s: str) -> str:
    s = strip_accents(s).lower()
    return "".join(ch for ch in s if ch.isalnum())


def build_customers(rng: random.Random):
    customers, behaviour = [], {}
    used_wa = set()
    for i, (trade, legal, person, city, tier, limit, terms, beh, local) in enumerate(CUSTOMER_SPECS, 1):
        cid = f"CUST-{i:04d}"
        if person:
            nombre, pat, mat = person
            business_name = f"{nombre} {pat} {mat}"
            born = date(rng.randint(1965, 1994), rng.randint(1, 12), rng.randint(1, 28))
            rfc = rfc_fisica(nombre, pat, mat, born, rng)
            email = f"{local}@correo.example"
        else:
            business_name = legal
            founded = date(rng.randint(1988, 2019), rng.randint(1, 12), rng.randint(1, 28))
            rfc = rfc_moral(legal, founded, rng)
            email = f"{local}@{slug(trade)}.example"
        lada = CITY_LADA[city]
        while True:
            local_digits = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(9 - len(lada)))
            if local_digits not in used_wa:
                used_wa.add(local_digits)
                break
        national = lada + local_digits
        assert len(national) == 10
        if len(lada) == 2:
            phone = f"+52 1 {lada} {local_digits[:4]} {local_digits[4:]}"
        else:
            phone = f"+52 1 {lada} {local_digits[:3]} {local_digits[3:]}"
        customers.append({
            "customer_id": cid, "name": trade, "business_name": business_name, "rfc": rfc,
            "phone": phone, "wa_id": "521" + national, "tier": tier, "credit_limit": limit,
            "payment_terms_days": terms, "city": city, "email": email,
        })
        behaviour[cid] = beh
    return customers, behaviour


# ---------------------------------------------------------------------------
# Invoices
# ---------------------------------------------------------------------------
AMOUNT_RANGE = {"bronze": (900, 4200), "silver": (3500, 16000),
                "gold": (9000, 45000), "platinum": (25000, 95000)}
N_INVOICES = {"bronze": 3, "silver": 4, "gold": 4, "platinum": 4}
START = TODAY - timedelta(days=183)  # 2026-05-26


def build_invoices(customers, behaviour, rng: random.Random):
    raw = []
    for c in customers:
        cid, tier, terms = c["customer_id"], c["tier"], c["payment_terms_days"]
        beh = behaviour[cid]
        n = N_INVOICES[tier] + (1 if beh in ("delinquent", "chronic_late") else 0)
        span = (TODAY - START).days - 1
        if beh == "delinquent":
            # one old invoice (paid very late), several 1-90 days past due, one recent
            cutoff = span - terms - 1
            window = range(cutoff - 89, cutoff)
            days = sorted([rng.randint(0, window.start - 1)]
                          + rng.sample(window, n - 2)
                          + [rng.randint(cutoff + 1, span - 1)])
        else:
            days = sorted(rng.sample(range(span), n))
        lo, hi = AMOUNT_RANGE[tier]
        for d in days:
            issued = START + timedelta(days=d)
            due = issued + timedelta(days=terms)
            if due == TODAY:  # keep clear of the boundary
                issued -= timedelta(days=1)
                due -= timedelta(days=1)
            net = Decimal(rng.randint(lo * 100, hi * 100)) / 100
            amount = (net * Decimal("1.16")).quantize(CENT, rounding=ROUND_HALF_UP)
            overdue_days = (TODAY - due).days
            paid_amount, paid_at = Decimal("0"), None

            if beh == "punctual":
                pay = due - timedelta(days=rng.randint(0, 8))
                pay = max(pay, issued + timedelta(days=1))
                if pay < TODAY:
                    paid_amount, paid_at = amount, pay
            elif beh in ("late_small", "slightly_late"):
                pay = due + timedelta(days=rng.randint(1, 12))
                if pay < TODAY:
                    paid_amount, paid_at = amount, pay
            elif beh == "chronic_late":
                pay = due + timedelta(days=rng.randint(16, 48))
                if pay < TODAY:
                    paid_amount, paid_at = amount, pay
            elif beh == "delinquent":
                if overdue_days > 90:
                    pay = due + timedelta(days=rng.randint(35, 75))
                    paid_amount, paid_at = amount, min(pay, TODAY - timedelta(days=3))
                elif overdue_days > 0 and rng.random() < 0.35:
                    paid_amount = (amount * Decimal(rng.choice(["0.20", "0.30", "0.50"]))).quantize(CENT)
                # else: nothing paid yet
            elif beh == "partial_payer":
                if overdue_days > 60:
                    pay = due + timedelta(days=rng.randint(5, 25))
                    paid_amount, paid_at = amount, pay
                elif issued < TODAY - timedelta(days=7):
                    paid_amount = (amount * Decimal(rng.choice(["0.30", "0.40", "0.50", "0.60"]))).quantize(CENT)
            # some customers send an advance on invoices that are not due yet
            if (paid_amount == 0 and due > TODAY and issued < TODAY - timedelta(days=10)
                    and beh != "delinquent" and rng.random() < 0.3):
                paid_amount = (amount * Decimal(rng.choice(["0.25", "0.40", "0.50"]))).quantize(CENT)
            raw.append({"customer_id": cid, "issued": issued, "due": due, "amount": amount,
                        "paid_amount": paid_amount, "paid_at": paid_at})

    raw.sort(key=lambda r: (r["issued"], r["customer_id"]))
    invoices = []
    for k, r in enumerate(raw):
        amount, paid = r["amount"], r["paid_amount"]
        if paid == amount:
            status = "paid"
            days_late = max(0, (r["paid_at"] - r["due"]).days)
            paid_at = r["paid_at"].isoformat()
        else:
            paid_at, days_late = None, None
            if r["due"] < TODAY:
                status = "overdue"
            elif paid > 0:
                status = "partial"
            else:
                status = "open"
        invoices.append({
            "invoice_id": f"FAC-2026-{412 + k:06d}",
            "customer_id": r["customer_id"],
            "issued_at": r["issued"].isoformat(),
            "due_date": r["due"].isoformat(),
            "amount": money(amount),
            "paid_amount": money(paid),
            "status": status,
            "paid_at": paid_at,
            "days_late_when_paid": days_late,
        })
    return invoices


# ---------------------------------------------------------------------------
# Pricing
# ---------------------------------------------------------------------------
PRICING = {
    "iva_rate": "0.16",
    "tier_discounts": {"bronze": "0.00", "silver": "0.03", "gold": "0.06", "platinum": "0.10"},
    "volume_breaks": [
        {"min_qty": 10, "discount": "0.02"},
        {"min_qty": 50, "discount": "0.05"},
        {"min_qty": 100, "discount": "0.08"},
    ],
}

# ---------------------------------------------------------------------------
# Intent corpus
# ---------------------------------------------------------------------------
N, OPT, AWC = "none", "options_shown", "awaiting_confirmation"

INTENTS: list[tuple[str, str, str]] = []


def add(intent: str, context: str, texts: list[str]) -> None:
    INTENTS.extend((t, intent, context) for t in texts)


add("search_product", N, [
    "buenas tardes, tienen tinacos?",
    "tienen tubo pvc de 1/2?",
    "manejan tuboplus de 3/4",
    "hola, tendran coples de cobre de 1/2",
    "busco llave de paso de 3/4 marca urrea",
    "q marcas de calentador manejan?",
    "tienen bombas perifericas de medio caballo?",
    "hay codos de 45 de 2 pulgadas sanitario?",
    "tienen mezcladora para fregadero",
    "do you have 1 inch copper pipe type L?",
    "manejan cable thw calibre 12?",
    "oigan tienen cisternas de 2800 litros",
    "buen dia, tienen flotador para tinaco de 1/2",
    "tienes stilson de 18?",
    "que tipos de regadera tienen",
    "hay existencia de tinaco rotoplas 1100?",
    "tienen impermeabilizante de 5 años?",
    "que tienen en valvulas de esfera",
    "me pasas lo que tengas de mangueras coflex pa lavabo",
    "tienen discos de corte de 4 1/2",
    "aun tienen el calentador de paso calorex de 6 litros?",
    "hay tuvos galvanizados de 1 pulgada?",
    "q tienen en herrajes para wc",
    "tienen taquetes de 5/16",
    "looking for a pressure pump, do u have any?",
    "manejan conexiones cpvc de 3/4",
    "tienen reduccion de 2 a 1 1/2 pvc",
    "ai cespol para fregadero?",
    "tendrás cemento para pvc de litro",
    "oye tienes sonda destapacaños?",
    "ke tal, tienen pintura vinilica blanca de cubeta",
])

add("create_order", N, [
    "necesito 10 tubos pvc de 1/2",
    "mándame 5 codos de 1/2",
    "quiero 3 tinacos rotoplas de 1100 L",
    "me apartas 20 coples de 3/4 porfa",
    "ocupo 50 codos de 90 de 1 pulgada para mañana",
    "pedido: 12 tubos cpvc 1/2, 30 codos cpvc 1/2 y 2 pegamentos",
    "mandame 2 rollos de cable cal 12 y 1 de cal 14",
    "nesesito una caja de pijas para tablaroca de 1 pulgada",
    "ponme 4 llaves stilson de 14",
    "send me 6 ball valves 3/4 please",
    "quiero hacer un pedido de 8 tramos de tubo de cobre tipo M de 1/2",
    "me mandas 15 tees de 1/2 pvc y 15 tapones",
    "aparta 2 bombas perifericas de 1/2 hp xfa",
    "van a ser 30 tubos sanitario de 4 pulgadas para la obra de cumbres",
    "necesito 6 cubetas de impermeabilizante de 5 años",
    "mandame 1 calentador de paso calorex",
    "dame 25 metros de cable calibre 12",
    "quiero 10 cintas teflon y 5 pegamentos de 250",
    "ocupo 40 adaptadores macho de 3/4 pa hoy en la tarde",
    "pfa enviar 3 cisternas de 2800 a la obra de juriquilla",
    "surteme 200 codos de 1/2 y 200 tees de 1/2",
    "me llevo 2 mezcladoras foset para fregadero",
    "agregame 10 tubos tuboplus de 3/4 al pedido",
    "i need 20 pvc pipes 2 inch, can you deliver tmrw?",
    "necesito 4 flotadores y 4 valvulas de llenado pal wc",
    "mándame otras 5 llaves de nariz como las del pedido pasado",
    "hazme un pedido de 60 coples de cobre 1/2",
    "ocupo 3 cajas de taquete de 1/4 y 2 de pijas",
    "quiero pedir 1 tinaco de 2500 con su kit de accesorios",
    "xfa envíame 12 discos de corte de 7 pulgadas",
])

add("check_price", N, [
    "a como el codo de 90?",
    "me regalas precio del tinaco de 1100",
    "cuanto cuesta el tubo pvc de 3/4",
    "precio de la bomba periferica de 1 hp?",
    "cuánto sale el rollo de cable calibre 12",
    "q precio tiene la llave stilson de 24",
    "how much for the rotoplas 2500 L tank?",
    "en cuanto me dejas la cisterna de 5000",
    "a cómo tienes el cople de cobre de 3/4",
    "cotizame 100 tubos de 1/2 porfa",
    "cuanto vale el calentador de deposito de 40 L",
    "precio x pieza de la tee de 2 pulgadas",
    "me pasas precios de tuboplus de 1/2 y 3/4",
    "cuanto esta la cubeta de impermeabilizante de 10 años",
    "a como dan el kilo de clavo de 2 1/2",
    "what's the price on copper elbows 1/2?",
    "k precio tiene el pegamento pvc de 250",
    "cuanto cuesta la mezcladora helvex para lavabo?",
    "tienen precio de mayoreo en codos de 1/2?",
    "cuánto me cuesta el metro de cable cal 14",
    "el flotador rotoplas cuanto sale?",
    "pásame tu lista de precios de conexiones galvanizadas",
    "cuanto por la caja de pijas punta broca",
    "me das precio del rotomartillo truper?",
    "q costo tiene el termofusor tuboplus",
])

add("payment_status", N, [
    "ya pague",
    "ya les transferí",
    "les llegó mi pago?",
    "ya quedó el depósito de la factura 512, me confirman",
    "buenas, ya hice la transferencia por 12,450",
    "les mande el comprobante de pago hace rato, ya lo vieron?",
    "ya pagué la factura pendiente ayer x spei",
    "i already paid invoice FAC-2026-000455",
    "me pueden confirmar si ya se reflejo mi pago?",
    "ya deposite en oxxo a su cuenta",
    "el pago salió desde el viernes, nos confirman",
    "hice el deposito en la mañana, ya les aparece?",
    "ya les liquidé todo lo que debía",
    "did you get my payment?",
    "ya les pague lo de octubre checa porfa",
    "mi contador ya les mandó la transferencia",
    "ya esta pagada la factura del tinaco",
    "les abone 5 mil ayer",
    "transferencia enviada ✅",
    "ya se hizo el pago, les adjunto comprobante",
])

add("promise_to_pay", N, [
    "pago mañana",
    "les pago el viernes",
    "les deposito a fin de mes",
    "el lunes sin falta les transfiero",
    "la próxima semana les liquido la factura",
    "te pago el 15 cuando me paguen a mi",
    "i'll pay on friday",
    "mañana a primera hora les hago el spei",
    "dame chance hasta el 30 y les pago todo",
    "el jueves les abono 10 mil y el resto la otra semana",
    "les deposito en cuanto cobre la estimación, a mas tardar el dia 5",
    "pasado mañana queda el pago",
    "ahorita no tengo pero el sabado les pago",
    "hoy en la tarde les transfiero",
    "we'll send the payment next tuesday",
    "el martes les pago la de septiembre",
    "a fin de quincena les deposito",
    "me comprometo a pagar el 3 de diciembre",
    "en 8 dias les liquido todo",
    "mañana paso a pagar en efectivo a la sucursal",
])

add("account_statement", N, [
    "cuánto debo",
    "mándame mi estado de cuenta",
    "cuanto les debo a la fecha?",
    "qué facturas tengo pendientes?",
    "me pasas mi saldo porfa",
    "what's my balance?",
    "cuánto tengo de crédito disponible?",
    "q facturas tengo vencidas",
    "me envias el edo de cuenta de noviembre",
    "cuanto es lo q debo en total",
    "necesito mi estado de cuenta para conciliar",
    "a cuanto asciende mi adeudo",
    "tengo algo pendiente con ustedes?",
    "can you send me my account statement?",
    "cuanto me falta por pagar de la factura del mes pasado",
    "mi saldo pls",
    "cuándo se me vence la siguiente factura?",
    "me dicen cuánto tengo vencido?",
    "pasame el desglose de lo que debo",
    "todavía tengo saldo a favor?",
])

add("general_question", N, [
    "a que hora abren?",
    "donde estan ubicados?",
    "hacen entregas a Zapopan?",
    "me mandan la factura del pedido de ayer porfa",
    "hola",
    "buenas tardes",
    "necesito factura, les paso mis datos fiscales",
    "abren los domingos?",
    "cuanto tarda el envío a Querétaro?",
    "aceptan tarjeta?",
    "what time do you close today?",
    "me pueden dar el numero de cuenta para transferir?",
    "el pedido no ha llegado, a que hora llega el camion?",
    "se puede recoger en sucursal?",
    "me llegó un codo quebrado, como hago el cambio?",
    "gracias!",
    "con quien hablo para abrir credito?",
    "cual es el minimo para envio gratis?",
    "me pueden mandar el xml y pdf de la factura 498",
    "la bomba trae garantía?",
    "hola buen dia",
    "tienen servicio de instalacion de calentadores?",
    "ok gracias, luego les escribo",
    "me cambian el RFC en la factura? salió mal",
    "hi, is this Orkesta hardware?",
])

add("select_option", OPT, [
    "el primero",
    "la 2",
    "el de 3/4",
    "ese mero",
    "la segunda opción",
    "el ultimo",
    "la opcion 3",
    "1",
    "el de urrea",
    "quiero la de 1100 litros",
    "el mas barato",
    "el tercero porfa",
    "the second one",
    "option 1 pls",
    "el de cobre",
    "la rotoplas",
    "el de 1 1/2",
    "#2",
    "esa, la de 40 litros",
    "dame el de 3/4 pues",
    "el 4",
    "la numero uno",
    "el de en medio",
])

add("confirm", AWC, [
    "sí",
    "va",
    "sale",
    "confirmo",
    "ok dale",
    "simon",
    "órale, va",
    "sale, confirmo",
    "yes",
    "ok",
    "de acuerdo",
    "adelante",
    "así está bien, mándalo",
    "si porfa",
    "correcto",
    "👍",
    "sip confirmado",
    "yes please go ahead",
    "va, mándalo hoy",
    "está bien",
    "sí, todo correcto",
])

add("cancel", AWC, [
    "no",
    "mejor no",
    "cancela",
    "ya no",
    "cancélalo porfa",
    "nel",
    "no gracias",
    "olvidalo",
    "ahorita no",
    "mejor luego",
    "cancel",
    "nope, cancel it",
    "ya no lo ocupo, cancela",
    "no, asi no",
    "cancela el pedido",
])
add("cancel", OPT, [
    "ninguno",
    "ninguno me sirve",
    "no, ninguno de esos",
    "mejor no, gracias",
])

# Hard / ambiguous-but-labelable cases (kept together at the end of the file).
HARD: list[tuple[str, str, str]] = [
    ("no tienen codos de 45 de 2?", "search_product", N),             # 'no' but a product question
    ("si tienen cople de 1 1/2 galvanizado?", "search_product", N),   # starts with 'si' outside confirmation
    ("necesito saber si tienen tinaco de 2500", "search_product", N), # 'necesito' without quantity
    ("ocupo 3 tinacos de 1100 para el lunes", "create_order", N),     # date does not make it a payment promise
    ("mejor no los codos, mándame 20 coples de 1/2", "create_order", N),  # 'mejor no' inside an order
    ("cuánto me sale si me llevo 100 coples de 1/2", "check_price", N),   # quantity but asks price
    ("cuanto debo pagar x 10 tubos de 3/4?", "check_price", N),           # 'cuanto debo' but a price question
    ("a como el codo de 90 de 1/2? ocupo como 50", "check_price", N),     # price question with intended quantity
    ("el viernes sin falta les deposito lo que debo", "promise_to_pay", N),  # 'debo' but a promise
    ("cancelé el cheque, les transferí mejor ayer", "payment_status", N),     # 'cancel' but reports a payment
    ("oigan ya aplicaron mi pago? no lo veo en mi estado de cuenta", "payment_status", N),
    ("ya no me mandes el estado de cuenta, nomás dime cuánto debo", "account_statement", N),
    ("mándame la factura de mi último pedido", "general_question", N),  # 'mándame' but not an order
    ("a qué cuenta les deposito?", "general_question", N),              # bank details, no date committed
    ("ok, y a qué hora cierran?", "general_question", N),               # 'ok' outside confirmation
    ("el primero que me llegó venía incompleto", "general_question", N),  # 'el primero' outside options
    ("no, el segundo", "select_option", OPT),                            # starts with 'no'
    ("sale pero mejor el de 1 pulgada", "select_option", OPT),          # starts with 'sale'
    ("la 2 pero que sean 10 piezas", "select_option", OPT),             # quantity inside a selection
    ("no gracias, así déjalo", "cancel", AWC),                           # 'así' but declines
]


# ---------------------------------------------------------------------------
def main() -> None:
    rng_cat = random.Random(SEED)
    rng_cus = random.Random(SEED + 1)
    rng_inv = random.Random(SEED + 2)

    catalog = build_catalog(rng_cat)
    customers, behaviour = build_customers(rng_cus)
    invoices = build_invoices(customers, behaviour, rng_inv)

    OUT_TESTS.mkdir(parents=True, exist_ok=True)
    (OUT_DEMO / "suppliers.json").write_text(dumps(SUPPLIERS), encoding="utf-8")
    (OUT_DEMO / "catalog.json").write_text(dumps(catalog), encoding="utf-8")
    (OUT_DEMO / "customers.json").write_text(dumps(customers), encoding="utf-8")
    (OUT_DEMO / "invoices.json").write_text(dumps(invoices), encoding="utf-8")
    (OUT_DEMO / "pricing.json").write_text(dumps(PRICING), encoding="utf-8")
    lines = [json.dumps({"text": t, "intent": i, "context": c}, ensure_ascii=False)
             for t, i, c in INTENTS + HARD]
    (OUT_TESTS / "intent_corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
