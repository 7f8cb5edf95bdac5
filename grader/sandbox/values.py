"""Plain-data values crossing the sandbox boundary, seen from the trusted side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from grader.sandbox.wire import HANDLE_TAG, TENSOR_TAG

if TYPE_CHECKING:
    from grader.sandbox.client import Session


class RemoteObject:
    """A student object that stayed in the worker (a model, an optimizer, a generator...).

    Calling it or its methods runs in the worker. It deliberately defines no __eq__, __bool__
    or __float__: nothing about it can be compared here except what comes back as plain data.
    """

    def __init__(self, session: "Session", handle: int, type_name: str, repr_text: str, info: dict):
        self._session = session
        self._handle = handle
        self.type_name = type_name
        self.repr_text = repr_text
        self.info = info

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._session.call(self._handle, *args, label=self.short_type, **kwargs)

    def call_method(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._session.call(self._handle, *args, attr=name, label=f"{self.short_type}.{name}", **kwargs)

    def get(self, name: str) -> Any:
        return self._session.call(self._handle, attr=name, label=f"{self.short_type}.{name}", getattr_only=True)

    @property
    def short_type(self) -> str:
        return self.type_name.rsplit(".", 1)[-1]

    def __repr__(self) -> str:
        return f"<your {self.short_type}: {self.repr_text[:200]}>"


def encode(value: Any) -> Any:
    """Trusted value → request data. Tensors keep requires_grad; handles go back as references."""
    import torch

    if isinstance(value, RemoteObject):
        return {HANDLE_TAG: value._handle}
    if isinstance(value, torch.Tensor):
        return {TENSOR_TAG: value.detach().clone(), "requires_grad": bool(value.requires_grad)}
    if isinstance(value, (list, tuple)):
        items = [encode(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def decode(value: Any, session: "Session") -> Any:
    """Reply data → trusted values. A student tensor keeps what autograd said about it."""
    if isinstance(value, dict):
        if TENSOR_TAG in value:
            t = value[TENSOR_TAG]
            if value.get("requires_grad") and (t.is_floating_point() or t.is_complex()):
                t.requires_grad_(True)
            grad = value.get("grad")
            if grad is not None and t.requires_grad and grad.shape == t.shape:
                t.grad = grad.to(t.dtype)
            t.student_meta = {  # as reported by the worker: advisory, used for feedback only
                "is_leaf": bool(value.get("is_leaf", True)),
                "grad_fn": value.get("grad_fn"),
                "requires_grad": bool(value.get("requires_grad")),
                "had_grad": grad is not None,
            }
            return t
        if HANDLE_TAG in value:
            return RemoteObject(session, int(value[HANDLE_TAG]), str(value.get("type", "object")),
                                str(value.get("repr", "")), dict(value.get("info") or {}))
        return {k: decode(v, session) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v, session) for v in value]
    if isinstance(value, tuple):
        return tuple(decode(v, session) for v in value)
    return value
