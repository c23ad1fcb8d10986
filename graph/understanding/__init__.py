"""The message reader: which of the ten intents a customer message carries, plus its details.

Two readers share one protocol, one module per job:

- `decision`: the intents, flow contexts and confidence bands, `RouteDecision` (the schema both
  readers produce) and the `IntentRouter` protocol.
- `rules`: `RulesRouter` / `route_by_rules`, deterministic Mexican Spanish (and plain English)
  rules, the embedded default; `details` extracts quantity, product words and the option picked.
- `llm`: `LLMRouter`, which asks an OpenAI-compatible model for a structured `RouteDecision` and
  falls back to the rules whenever the model fails; its system prompt.
- `reader`: `build_router(settings)`, which picks one from the settings alone.
- `lexicon`: normalisation, number words and cue phrases; `dates`: a promise's date and amount.
"""

from graph.understanding.decision import INTENTS, FlowContext, Intent, IntentRouter, RouteDecision
from graph.understanding.llm import LLMRouter
from graph.understanding.reader import build_router
from graph.understanding.rules import RulesRouter, route_by_rules

__all__ = [
    "INTENTS",
    "FlowContext",
    "Intent",
    "IntentRouter",
    "LLMRouter",
    "RouteDecision",
    "RulesRouter",
    "build_router",
    "route_by_rules",
]
