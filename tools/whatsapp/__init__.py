"""WhatsApp Cloud API, becoming a package: in this step the whole former module is `messages`."""

from tools.whatsapp.messages import *  # noqa: F403
from tools.whatsapp.messages import BUTTON_TITLE_MAX, DEFAULT_LANGUAGE, ROW_DESCRIPTION_MAX, TEXT_MAX
from tools.whatsapp.messages import __all__ as _moved

__all__ = [*_moved, "BUTTON_TITLE_MAX", "DEFAULT_LANGUAGE", "ROW_DESCRIPTION_MAX", "TEXT_MAX"]
