"""Which reader the service uses: `build_reader(settings)` picks the rules or the LLM from the settings alone."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from core.settings import Settings
from graph.understanding.llm import LLM_TIMEOUT_S, LLMReader
from graph.understanding.rules import RulesReader


def build_reader(settings: Settings, *, http_client: httpx.AsyncClient | None = None) -> RulesReader | LLMReader:
    """An `LLMReader` when a model is configured (API key or base URL), else the `RulesReader`.

    Pass the service's `http_client` to share it (its owner closes it); otherwise the reader opens
    its own and the caller closes it with `await reader.aclose()` when the service stops.
    """
    if settings.openai_api_key is None and not settings.openai_base_url:
        return RulesReader()
    from langchain_openai import ChatOpenAI  # imported here: the rules-only default never loads it

    # Never langchain-openai's process-wide cached client: one we (or the caller) can close.
    owned = httpx.AsyncClient(timeout=LLM_TIMEOUT_S) if http_client is None else None
    model = ChatOpenAI(
        model=settings.openai_model,
        # A local vLLM or Ollama needs no key, but the client insists on one.
        api_key=settings.openai_api_key or SecretStr("not-needed"),
        # Always explicit, so the client never falls back to an OPENAI_BASE_URL from the environment.
        base_url=settings.openai_base_url or "https://api.openai.com/v1",
        timeout=LLM_TIMEOUT_S,
        max_retries=1,
        temperature=0,
        http_async_client=http_client or owned,
    )
    return LLMReader(model, fallback=RulesReader(), http_client=owned)
