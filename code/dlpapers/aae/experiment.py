"""The AAE recipe: the phases of one minibatch as a step for the shared loop, and ``train_aae``.

The command line (``python -m dlpapers train aae``), the notebook and ``benchmarks/bench_aae.py``
all call :func:`train_aae`. The phases are plain functions so that a test (or a learner) can run
one and see which parameters it moves.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from dlpapers import data, metrics
from dlpapers.aae.model import AAEConfig, AdversarialAutoencoder
from dlpapers.train import Run, fit, pick_device, seed_everything


def _descend(model: nn.Module, optimizer: torch.optim.Optimizer, loss: torch.Tensor) -> float:
    """One gradient step on ``loss`` for the parameters ``optimizer`` holds; returns the loss."""
    model.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss.item()


def reconstruction_phase(
    model: AdversarialAutoencoder, optimizer: torch.optim.Optimizer, x: torch.Tensor
) -> float:
    """Encoder + decoder minimise the pixel MSE ``||x - G(E(x))||^2``; returns the loss."""
    loss = F.mse_loss(model(x), x)
    return _descend(model, optimizer, loss)


def regularization_phase(
    model: AdversarialAutoencoder,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor | None = None,
) -> float:
    """The discriminator learns prior samples = real (1), codes = fake (0); returns its loss.

    The codes are computed under ``no_grad`` (detached): this phase must not move the encoder.
    """
    with torch.no_grad():
        fake = model.encoder(x)
    real = model.sample_prior(len(x), labels=y if model.config.supervised else None)
    logits_real, logits_fake = model.discriminate(real, y), model.discriminate(fake, y)
    loss = F.binary_cross_entropy_with_logits(logits_real, torch.ones_like(logits_real)) + \
        F.binary_cross_entropy_with_logits(logits_fake, torch.zeros_like(logits_fake))
    return _descend(model, optimizer, loss)


def generation_phase(
    model: AdversarialAutoencoder,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor | None = None,
) -> float:
    r"""The encoder learns to make $D$ call its codes real; returns $-\log D(E(x))$.

    Gradients flow through $D$ into $E$, but ``optimizer`` holds only the encoder's parameters,
    so $D$ stays as the regularization phase left it (the non-saturating GAN loss).
    """
    logits = model.discriminate(model.encoder(x), y)
    loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
    return _descend(model, optimizer, loss)


def aae_step(
    model: AdversarialAutoencoder,
    optimizers: dict[str, torch.optim.Optimizer],
    adversarial: bool = True,
) -> Callable[[tuple[torch.Tensor, ...]], dict[str, float]]:
    """The three-phase step for :func:`dlpapers.train.fit`.

    Args:
        model: The model to train.
        optimizers: ``"reconstruction"`` over encoder + decoder, and (if ``adversarial``)
            ``"regularization"`` over the discriminator and ``"generation"`` over the encoder.
        adversarial: ``False`` runs the reconstruction phase only: a plain autoencoder.

    Returns:
        A step taking ``(x,)`` or ``(x, y)`` and logging ``reconstruction`` (and
        ``discriminator``, ``generator``) losses.
    """
    needed = {"reconstruction"} | ({"regularization", "generation"} if adversarial else set())
    if missing := needed - set(optimizers):
        raise ValueError(f"aae_step needs optimizers for {sorted(missing)}")

    def step(batch: tuple[torch.Tensor, ...]) -> dict[str, float]:
        x = batch[0]
        y = batch[1] if model.config.supervised else None
        logs = {"reconstruction": reconstruction_phase(model, optimizers["reconstruction"], x)}
        if adversarial:
            logs["discriminator"] = regularization_phase(model, optimizers["regularization"], x, y)
            logs["generator"] = generation_phase(model, optimizers["generation"], x, y)
        return logs

    return step


def train_aae(
    config: AAEConfig | None = None,
    *,
    epochs: int = 60,
    seed: int = 0,
    device: str = "auto",
    progress: bool = True,
    adversarial: bool = True,
    batch_size: int = 32,
    lr: float = 2e-3,
    lr_regularization: float = 2e-4,
    lr_generation: float = 5e-4,
    bandwidth: float = 1.0,
) -> Run:
    """Train an adversarial autoencoder (or, with ``adversarial=False``, a plain one) on digits.

    Three Adam optimisers, one per phase: the reconstruction phase uses ``lr`` with the usual
    betas; the two adversarial phases use betas ``(0.5, 0.9)`` (the GAN habit: less momentum,
    so the game does not overshoot) and smaller rates, the discriminator's the smallest, so that
    it does not overpower the encoder. The unsupervised model never sees a label; labels are used
    only to score the codes afterwards.

    Args:
        config: An :class:`~dlpapers.aae.AAEConfig`; 2-D latent and Gaussian prior by default.
        epochs: Passes over the 1,347 training digits.
        seed: Seeds the weights, the batches and the prior draws.
        device: See :func:`dlpapers.train.pick_device`.
        progress: Show the progress bar.
        adversarial: ``False`` trains the same model with the reconstruction phase only.
        batch_size: Minibatch size.
        lr: Learning rate of the reconstruction phase (encoder + decoder).
        lr_regularization: Learning rate of the discriminator.
        lr_generation: Learning rate of the encoder in the generation phase.
        bandwidth: RBF kernel width of the MMD² between test codes and prior samples.

    Returns:
        A :class:`Run` whose metrics are ``mmd2`` (test codes vs 1,000 prior draws),
        ``mmd_bandwidth``, ``knn_accuracy`` (5-NN fit on training codes, scored on test codes),
        ``test_mse`` (reconstruction), ``seconds`` and, for the supervised variant,
        ``component_accuracy`` (test codes nearest to their label's ring component); ``extras``
        holds the test images, labels, codes and the prior draws for plots.
    """
    config = config or AAEConfig()
    seed_everything(seed)
    split = data.digits()
    if tuple(split.image_shape) != config.input_shape:
        raise ValueError(f"digits are {split.image_shape}: set AAEConfig.input_shape to that")
    model = AdversarialAutoencoder(config)
    reference = model.sample_prior(1000, generator=torch.Generator().manual_seed(seed))
    tensors = (split.x_train, split.y_train) if config.supervised else (split.x_train,)
    batches = data.loader(*tensors, batch_size=batch_size, shuffle=True, seed=seed)
    adam = torch.optim.Adam
    optimizers = {
        "reconstruction": adam([*model.encoder.parameters(), *model.decoder.parameters()], lr=lr),
        "regularization": adam(model.discriminator.parameters(), lr=lr_regularization,
                               betas=(0.5, 0.9)),
        "generation": adam(model.encoder.parameters(), lr=lr_generation, betas=(0.5, 0.9)),
    }
    dev = pick_device(device)

    def evaluate(m: nn.Module) -> dict[str, float]:
        x = split.x_test.to(dev)
        codes = m.encode(x)
        return {
            "test_mse": F.mse_loss(m.decode(codes), x).item(),
            "test_mmd2": metrics.mmd2(codes.cpu(), reference, bandwidth),
        }

    start = time.perf_counter()
    history = fit(model, aae_step(model, optimizers, adversarial=adversarial), batches,
                        epochs=epochs, evaluate=evaluate, device=dev, progress=progress,
                        desc="aae" if adversarial else "autoencoder")
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        test_codes = model.encode(split.x_test.to(dev)).cpu()
        train_codes = model.encode(split.x_train.to(dev)).cpu()
        test_mse = F.mse_loss(model(split.x_test.to(dev)).cpu(), split.x_test)
    result = {
        "mmd2": metrics.mmd2(test_codes, reference, bandwidth),
        "mmd_bandwidth": bandwidth,
        "knn_accuracy": metrics.knn_accuracy(train_codes, split.y_train, test_codes, split.y_test),
        "test_mse": test_mse.item(),
        "seconds": seconds,
    }
    if config.supervised:  # share of test codes whose nearest ring component is their label's
        nearest = torch.cdist(test_codes, model.ring_means.cpu()).argmin(dim=1)
        result["component_accuracy"] = (nearest == split.y_test).float().mean().item()
    extras = {
        "x_test": split.x_test, "y_test": split.y_test, "test_codes": test_codes,
        "train_codes": train_codes, "y_train": split.y_train, "prior_samples": reference,
    }
    return Run(model=model.cpu(), history=history, metrics=result, seconds=seconds, extras=extras)
