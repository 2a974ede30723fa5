"""The AAE recipe: the two phases of one minibatch as a step for the shared loop, and ``train_aae``.

The command line (``python -m dlpapers train aae``), the notebook and ``benchmarks/bench_aae.py``
all call :func:`train_aae`. The phases and the two steps of the regularization phase are plain
functions so that a test (or a learner) can run one and see which parameters it moves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from dlpapers import data, metrics
from dlpapers.aae import plots
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


def discriminator_step(
    model: AdversarialAutoencoder,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor | None = None,
) -> float:
    """Regularization phase, step 1: $D$ learns prior samples = real (1), codes = fake (0).

    The codes are computed under ``no_grad`` (detached): this step must not move the encoder.
    Returns the discriminator's loss (real + fake binary cross-entropy).
    """
    with torch.no_grad():
        fake = model.encoder(x)
    real = model.sample_prior(len(x), labels=y if model.config.supervised else None)
    logits_real, logits_fake = model.discriminate(real, y), model.discriminate(fake, y)
    loss = F.binary_cross_entropy_with_logits(logits_real, torch.ones_like(logits_real)) + \
        F.binary_cross_entropy_with_logits(logits_fake, torch.zeros_like(logits_fake))
    return _descend(model, optimizer, loss)


def generator_step(
    model: AdversarialAutoencoder,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor | None = None,
) -> float:
    r"""Regularization phase, step 2: the encoder, as the generator, learns to make $D$ call its
    codes real; returns $-\log D(E(x))$.

    Gradients flow through $D$ into $E$, but ``optimizer`` holds only the encoder's parameters,
    so $D$ stays as step 1 left it (the non-saturating GAN loss).
    """
    logits = model.discriminate(model.encoder(x), y)
    loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
    return _descend(model, optimizer, loss)


def regularization_phase(
    model: AdversarialAutoencoder,
    optimizers: dict[str, torch.optim.Optimizer],
    x: torch.Tensor,
    y: torch.Tensor | None = None,
) -> dict[str, float]:
    """The paper's regularization phase: :func:`discriminator_step`, then :func:`generator_step`.

    Args:
        optimizers: ``"discriminator"`` over $D$ and ``"generator"`` over the encoder.

    Returns:
        ``{"discriminator": loss of step 1, "generator": loss of step 2}``.
    """
    return {
        "discriminator": discriminator_step(model, optimizers["discriminator"], x, y),
        "generator": generator_step(model, optimizers["generator"], x, y),
    }


def aae_step(
    model: AdversarialAutoencoder,
    optimizers: dict[str, torch.optim.Optimizer],
    adversarial: bool = True,
) -> Callable[[tuple[torch.Tensor, ...]], dict[str, float]]:
    """One minibatch as the paper's section 2 trains it, as a step for :func:`dlpapers.train.fit`.

    Two phases: the reconstruction phase, then (if ``adversarial``) the regularization phase with
    its two steps, discriminator then generator. Three optimisers, one per update.

    Args:
        model: The model to train.
        optimizers: ``"reconstruction"`` over encoder + decoder, and (if ``adversarial``)
            ``"discriminator"`` over the discriminator and ``"generator"`` over the encoder.
        adversarial: ``False`` runs the reconstruction phase only: a plain autoencoder.

    Returns:
        A step taking ``(x,)`` or ``(x, y)`` and logging ``reconstruction`` (and
        ``discriminator``, ``generator``) losses.
    """
    needed = {"reconstruction"} | ({"discriminator", "generator"} if adversarial else set())
    if missing := needed - set(optimizers):
        raise ValueError(f"aae_step needs optimizers for {sorted(missing)}")

    def step(batch: tuple[torch.Tensor, ...]) -> dict[str, float]:
        x = batch[0]
        y = batch[1] if model.config.supervised else None
        logs = {"reconstruction": reconstruction_phase(model, optimizers["reconstruction"], x)}
        if adversarial:
            logs |= regularization_phase(model, optimizers, x, y)
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
    lr_discriminator: float = 2e-4,
    lr_generator: float = 5e-4,
    bandwidth: float = 1.0,
) -> Run:
    """Train an adversarial autoencoder (or, with ``adversarial=False``, a plain one) on digits.

    Three Adam optimisers, one per update: the reconstruction phase uses ``lr`` with the usual
    betas; the two steps of the regularization phase use betas ``(0.5, 0.9)`` (the GAN habit:
    less momentum, so the game does not overshoot) and smaller rates, the discriminator's the
    smallest, so that it does not overpower the encoder. The unsupervised model never sees a
    label; labels are used only to score the codes afterwards.

    Data: :func:`dlpapers.data.digits` with ``validation_size=0.2`` (1,077 train / 270
    validation / 450 test). The per-epoch log and every choice use the validation images; the
    test images give only the final metrics.

    Args:
        config: An :class:`~dlpapers.aae.AAEConfig`; 2-D latent and Gaussian prior by default.
        epochs: Passes over the 1,077 training digits.
        seed: Seeds the weights, the batches and the prior draws.
        device: See :func:`dlpapers.train.pick_device`.
        progress: Show the progress bar.
        adversarial: ``False`` trains the same model with the reconstruction phase only.
        batch_size: Minibatch size.
        lr: Learning rate of the reconstruction phase (encoder + decoder).
        lr_discriminator: Learning rate of the discriminator (regularization phase, step 1).
        lr_generator: Learning rate of the encoder as generator (regularization phase, step 2).
        bandwidth: RBF kernel width of the MMD² between codes and prior samples.

    Returns:
        A :class:`Run` whose history logs ``val_mse`` and ``val_mmd2`` per epoch and whose
        metrics are ``mmd2`` (test codes vs 1,000 prior draws), ``mmd_bandwidth``,
        ``knn_accuracy`` (5-NN fit on training codes, scored on test codes), ``test_mse``
        (reconstruction), the same three on the validation images (``val_mmd2``,
        ``val_knn_accuracy``, ``val_mse``), ``seconds`` and, for the supervised variant,
        ``component_accuracy`` (test codes nearest to their label's ring component, and
        ``val_component_accuracy`` on the validation codes); ``extras``
        holds the test images, labels, codes and the prior draws for plots.
    """
    config = config or AAEConfig()
    seed_everything(seed)
    split = data.digits(validation_size=0.2)
    if tuple(split.image_shape) != config.input_shape:
        raise ValueError(f"digits are {split.image_shape}: set AAEConfig.input_shape to that")
    model = AdversarialAutoencoder(config)
    reference = model.sample_prior(1000, generator=torch.Generator().manual_seed(seed))
    tensors = (split.x_train, split.y_train) if config.supervised else (split.x_train,)
    batches = data.loader(*tensors, batch_size=batch_size, shuffle=True, seed=seed)
    adam = torch.optim.Adam
    optimizers = {
        "reconstruction": adam([*model.encoder.parameters(), *model.decoder.parameters()], lr=lr),
        "discriminator": adam(model.discriminator.parameters(), lr=lr_discriminator,
                              betas=(0.5, 0.9)),
        "generator": adam(model.encoder.parameters(), lr=lr_generator, betas=(0.5, 0.9)),
    }
    dev = pick_device(device)

    def evaluate(m: nn.Module) -> dict[str, float]:
        x = split.x_val.to(dev)
        codes = m.encode(x)
        return {
            "val_mse": F.mse_loss(m.decode(codes), x).item(),
            "val_mmd2": metrics.mmd2(codes.cpu(), reference, bandwidth),
        }

    start = time.perf_counter()
    history = fit(model, aae_step(model, optimizers, adversarial=adversarial), batches,
                  epochs=epochs, evaluate=evaluate, device=dev, progress=progress,
                  desc="aae" if adversarial else "autoencoder")
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        codes = {part: model.encode(getattr(split, f"x_{part}").to(dev)).cpu()
                 for part in ("train", "val", "test")}
        mse = {part: F.mse_loss(model(getattr(split, f"x_{part}").to(dev)).cpu(),
                                getattr(split, f"x_{part}")).item() for part in ("val", "test")}
    result: dict[str, float] = {}
    for part, prefix in (("test", ""), ("val", "val_")):
        labels = getattr(split, f"y_{part}")
        result[f"{prefix}mmd2"] = metrics.mmd2(codes[part], reference, bandwidth)
        result[f"{prefix}knn_accuracy"] = metrics.knn_accuracy(codes["train"], split.y_train,
                                                               codes[part], labels)
    result |= {"test_mse": mse["test"], "val_mse": mse["val"], "mmd_bandwidth": bandwidth,
               "seconds": seconds}
    if config.supervised:  # share of codes whose nearest ring component is their label's
        for part, prefix in (("test", ""), ("val", "val_")):
            nearest = torch.cdist(codes[part], model.ring_means.cpu()).argmin(dim=1)
            labels = getattr(split, f"y_{part}")
            result[f"{prefix}component_accuracy"] = (nearest == labels).float().mean().item()
    extras = {
        "x_test": split.x_test, "y_test": split.y_test, "test_codes": codes["test"],
        "train_codes": codes["train"], "y_train": split.y_train, "prior_samples": reference,
    }
    return Run(model=model.cpu(), history=history, metrics=result, seconds=seconds, extras=extras)


@cache
def _page_runs() -> tuple[Run, Run]:
    """A plain autoencoder and an AAE, trained once per process for both themes' figures."""
    torch.set_num_threads(1)
    options = {"progress": False, "device": "cpu"}
    return train_aae(adversarial=False, **options), train_aae(**options)


def page_figures() -> dict[str, Figure]:
    """The AAE theory page's figures, drawn at build time (see ``hooks/figures.py``): the block
    diagram, and the test codes of a plain autoencoder beside the AAE's (recipe defaults,
    seed 0)."""
    ae, aae = _page_runs()
    codes = {"autoencoder": ae.extras["test_codes"], "AAE": aae.extras["test_codes"]}
    return {
        "diagram": plots.block_diagram(),
        "codes": plots.latent_codes(codes, aae.extras["y_test"], aae.extras["prior_samples"]),
    }
