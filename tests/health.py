"""The health checks every model passes (after timm's ``tests/test_models.py``).

Each model's test file calls :func:`assert_healthy` with a tiny seeded config: the output has
the expected shape and no NaNs, every parameter receives a gradient, and one optimiser step on a
fixed batch lowers the loss.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


def assert_healthy(
    model: nn.Module,
    inputs: torch.Tensor,
    loss_fn: Callable[[nn.Module, torch.Tensor], torch.Tensor],
    output_shape: tuple[int, ...] | None = None,
    lr: float = 1e-3,
    frozen: tuple[str, ...] = (),
) -> None:
    """Check shape, finiteness, gradient flow and that one Adam step lowers the loss.

    Args:
        model: A freshly built model (train mode is set here).
        inputs: A fixed batch.
        loss_fn: ``loss_fn(model, inputs) -> scalar`` (closes over targets if needed).
        output_shape: Expected ``model(inputs).shape``, if the model returns a tensor.
        lr: Adam learning rate for the one step.
        frozen: Names of parameters that legitimately get no gradient from ``loss_fn``.
    """
    model.train()
    if output_shape is not None:
        out = model(inputs)
        assert tuple(out.shape) == output_shape
        assert torch.isfinite(out).all()

    loss = loss_fn(model, inputs)
    assert loss.ndim == 0 and torch.isfinite(loss)
    model.zero_grad()
    loss.backward()
    for name, parameter in model.named_parameters():
        if name in frozen or not parameter.requires_grad:
            continue
        assert parameter.grad is not None, f"{name} received no gradient"
        assert torch.isfinite(parameter.grad).all(), f"{name} has a non-finite gradient"
        assert parameter.grad.abs().sum() > 0, f"{name} received an all-zero gradient"

    def eval_loss() -> float:
        model.eval()  # dropout off: the comparison is about the weights alone
        with torch.no_grad():
            value = loss_fn(model, inputs).item()
        model.train()
        return value

    before = eval_loss()
    torch.optim.Adam(model.parameters(), lr=lr).step()
    after = eval_loss()
    assert after < before, f"one optimiser step did not lower the loss: {before:.5f} -> {after:.5f}"
