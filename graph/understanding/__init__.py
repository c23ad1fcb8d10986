"""The message reader: the acts a customer message carries (order lines, edits, a choice, questions...).

Two readers produce one schema, one module per job:

- `reading`: `Reading` (acts, language, confidence; the turn's intent is its first act's), `Act`,
  `Line`, the flow contexts and confidence bands, and the `MessageReader` protocol.
- `rules`: `RulesReader` / `read_by_rules`, deterministic Mexican Spanish (and plain English) rules,
  the embedded default; `acts` reads every act of a message, `lines` its order lines, `details`
  a quantity, product words and the option picked.
- `llm`: `LLMReader`, which asks an OpenAI-compatible model for a structured `Reading` and falls back
  to the rules whenever the model fails; its system prompt.
- `reader`: `build_reader(settings)`, which picks one from the settings alone.
- `lexicon`: normalisation, number words and cue phrases; `spelling`: typos fixed against the reader's
  vocabulary; `dates`: a promise's date and amount.
"""

from graph.understanding.llm import LLMReader
from graph.understanding.reader import build_reader
from graph.understanding.reading import INTENTS, Act, FlowContext, Intent, Line, MessageReader, Reading
from graph.understanding.rules import RulesReader, read_by_rules

__all__ = [
    "INTENTS",
    "Act",
    "FlowContext",
    "Intent",
    "LLMReader",
    "Line",
    "MessageReader",
    "Reading",
    "RulesReader",
    "build_reader",
    "read_by_rules",
]
