from typing import Any


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    return {}
