"""ru formats: the common dd.mm.yyyy / 24-hour set."""

from saqshy.core.formats.common import *  # noqa: F403
