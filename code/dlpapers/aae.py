r"""Adversarial autoencoder (Makhzani et al., 2015, "Adversarial Autoencoders").

An autoencoder learns from unlabeled images alone: an encoder $E$ maps an image to a short latent
code $z = E(x)$, a decoder $G$ maps the code back, and the reconstruction loss
$\lVert x - G(E(x)) \rVert^2$ is all it is trained on. Nothing shapes where the codes land, so
they fill an arbitrary, holey region of the latent space and there is no way to *sample* one.

The AAE adds a discriminator $D$ **on the codes** (not on the images). Samples of a chosen prior
$p(z)$ are "real", codes of data are "fake", and the encoder is trained to fool $D$:

$$\min_E \max_D\; \mathbb E_{z \sim p(z)}[\log D(z)] + \mathbb E_x[\log(1 - D(E(x)))]$$

When $D$ can no longer tell them apart, the aggregated posterior $q(z) = \mathbb E_x[q(z|x)]$
matches $p(z)$, so decoding prior samples generates data. Each minibatch runs three phases
(section 2 of the paper), each with its own optimiser:

1. reconstruction: encoder + decoder minimise the reconstruction loss;
2. regularization: the discriminator learns prior samples = 1, codes = 0;
3. generation: the encoder learns to make $D$ say 1 on its codes.

This file holds :class:`AAEConfig`, :class:`AdversarialAutoencoder` (encoder, decoder,
discriminator, the prior as a ``torch.distributions`` object built from buffers) and the three
phases as functions, composed by :func:`aae_step` into a step for :func:`dlpapers.train.fit`. The
plain autoencoder is the same model trained with ``aae_step(..., adversarial=False)``.
The supervised variant (paper Fig. 4) feeds the discriminator the code *and* a one-hot label, and
draws its "real" samples from the ring component of that label, so each digit gets its own mode.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from einops.layers.torch import Rearrange
from torch import distributions as dist
from torch import nn

PRIORS = ("gaussian", "ring")


@dataclass(frozen=True)
class AAEConfig:
    """Shape of an :class:`AdversarialAutoencoder`; learning rates live in the recipe.

    Attributes:
        input_shape: ``(c, h, w)`` of one image, pixels in ``[0, 1]``.
        latent_dim: Size of the code $z$ (2 lets you plot it).
        hidden: Widths of the encoder's hidden layers; the decoder mirrors them.
        disc_hidden: Widths of the discriminator's hidden layers (LeakyReLU, dropout, no BatchNorm).
        prior: ``"gaussian"`` ($N(0, I)$) or ``"ring"`` (``components`` Gaussians on a circle, 2-D).
        components: Number of ring components (10 for the ten digits).
        ring_radius: Radius of the ring.
        ring_std: Standard deviation of each ring component.
        dropout: Dropout in the discriminator, which keeps it from overpowering the encoder.
        supervised: Give the discriminator one-hot labels and match each label to its own ring
            component (paper Fig. 4); needs ``prior="ring"`` and batches ``(x, y)``.
    """

    input_shape: tuple[int, int, int] = (1, 8, 8)
    latent_dim: int = 2
    hidden: tuple[int, ...] = (256, 128)
    disc_hidden: tuple[int, ...] = (128, 128)
    prior: str = "gaussian"
    components: int = 10
    ring_radius: float = 4.0
    ring_std: float = 0.5
    dropout: float = 0.2
    supervised: bool = False

    def __post_init__(self) -> None:
        # checkpoints store tuples as lists: accept both, keep tuples
        object.__setattr__(self, "input_shape", tuple(self.input_shape))
        object.__setattr__(self, "hidden", tuple(self.hidden))
        object.__setattr__(self, "disc_hidden", tuple(self.disc_hidden))
        if len(self.input_shape) != 3 or min(self.input_shape) < 1:
            raise ValueError(f"input_shape must be (c, h, w) > 0, got {self.input_shape}")
        if self.latent_dim < 1:
            raise ValueError(f"latent_dim must be at least 1, got {self.latent_dim}")
        if not self.hidden or not self.disc_hidden or min(self.hidden + self.disc_hidden) < 1:
            raise ValueError("hidden and disc_hidden must be non-empty tuples of positive widths")
        if self.prior not in PRIORS:
            raise ValueError(f"prior must be one of {PRIORS}, got {self.prior!r}")
        if self.prior == "ring" and self.latent_dim != 2:
            raise ValueError(f"the ring prior is 2-D: set latent_dim=2 (got {self.latent_dim})")
        if self.supervised and self.prior != "ring":
            raise ValueError("supervised=True gives each label a ring component: set prior='ring'")
        if self.components < 2 or self.ring_radius <= 0 or self.ring_std <= 0:
            raise ValueError("need components >= 2, ring_radius > 0 and ring_std > 0")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {self.dropout}")


def _mlp(widths: list[int], activation: Callable[[], nn.Module], dropout: float = 0.0) -> list:
    """Linear layers of the given widths with ``activation`` (and dropout) between them."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        layers.append(nn.Linear(a, b))
        if i < len(widths) - 2:
            layers += [activation()] + ([nn.Dropout(dropout)] if dropout else [])
    return layers


class AdversarialAutoencoder(nn.Module):
    """Encoder, decoder and a discriminator on the codes, plus the prior they are matched to.

    ``forward(x)`` reconstructs: ``x: (b, c, h, w) -> (b, c, h, w)`` in ``[0, 1]``.
    """

    def __init__(self, config: AAEConfig) -> None:
        super().__init__()
        self.config = config
        c, h, w = config.input_shape
        pixels = c * h * w
        self.encoder = nn.Sequential(
            Rearrange("b c h w -> b (c h w)"),
            *_mlp([pixels, *config.hidden, config.latent_dim], nn.ReLU),
        )
        self.decoder = nn.Sequential(
            *_mlp([config.latent_dim, *reversed(config.hidden), pixels], nn.ReLU),
            nn.Sigmoid(),
            Rearrange("b (c h w) -> b c h w", c=c, h=h, w=w),
        )
        extra = config.components if config.supervised else 0
        self.discriminator = nn.Sequential(
            *_mlp([config.latent_dim + extra, *config.disc_hidden, 1],
                  lambda: nn.LeakyReLU(0.2), config.dropout),
            Rearrange("b 1 -> b"),
        )
        angles = torch.arange(config.components) * (2 * math.pi / config.components)
        ring = config.ring_radius * torch.stack([angles.cos(), angles.sin()], dim=1)
        self.register_buffer("prior_loc", torch.zeros(config.latent_dim))
        self.register_buffer("ring_means", ring)  # (k, 2), read by the ring prior only

    def _check_images(self, x: torch.Tensor) -> None:
        if x.ndim != 4 or tuple(x.shape[1:]) != self.config.input_shape:
            raise ValueError(
                f"expected images (b, {', '.join(map(str, self.config.input_shape))}), got "
                f"{tuple(x.shape)}: reshape them or set AAEConfig.input_shape"
            )
        if not torch.isfinite(x).all():
            raise ValueError("the images contain NaN or inf: clean the data first")

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Latent codes: ``x: (b, c, h, w) -> z: (b, latent_dim)``."""
        self._check_images(x)
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Images from codes: ``z: (b, latent_dim) -> (b, c, h, w)`` in ``[0, 1]``."""
        if z.ndim != 2 or z.shape[1] != self.config.latent_dim:
            raise ValueError(f"expected codes (b, {self.config.latent_dim}), got {tuple(z.shape)}")
        if not torch.isfinite(z).all():
            raise ValueError("the codes contain NaN or inf")
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruction ``G(E(x))``: ``(b, c, h, w) -> (b, c, h, w)``."""
        return self.decoder(self.encode(x))

    def discriminate(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """Logit that ``z`` came from the prior: ``z: (b, latent_dim), y: (b,) -> (b,)``.

        In the supervised variant the label enters as a one-hot beside the code, so $D$ judges
        the pair: a code in the wrong label's component is "fake" even if it sits on the ring.
        """
        if self.config.supervised:
            if y is None or y.shape != z.shape[:1]:
                raise ValueError("the supervised AAE needs labels y of shape (b,) with the codes")
            z = torch.cat([z, F.one_hot(y, self.config.components).to(z.dtype)], dim=1)
        return self.discriminator(z)

    def prior(self) -> dist.Distribution:
        """$p(z)$ as a ``torch.distributions`` object: $N(0, I)$ or the ring mixture."""
        if self.config.prior == "gaussian":
            return dist.Independent(dist.Normal(self.prior_loc, 1.0), 1)
        components = dist.Independent(dist.Normal(self.ring_means, self.config.ring_std), 1)
        mixing = dist.Categorical(logits=torch.zeros_like(self.ring_means[:, 0]))
        return dist.MixtureSameFamily(mixing, components)

    def sample_prior(
        self, n: int, labels: torch.Tensor | None = None, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """``n`` draws from :meth:`prior`, ``(n, latent_dim)``; ``labels: (n,)`` pick components.

        ``torch.distributions`` cannot take a generator, so for seeded draws this writes the same
        sampler out: a component index (uniform, or the label) plus ``std * N(0, I)`` noise.
        """
        noise = torch.randn(n, self.config.latent_dim, generator=generator,
                            device=self.prior_loc.device)
        if self.config.prior == "gaussian":
            return self.prior_loc + noise
        if labels is None:
            labels = torch.randint(self.config.components, (n,), generator=generator,
                                   device=self.prior_loc.device)
        return self.ring_means[labels] + self.config.ring_std * noise

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Generate ``n`` images by decoding prior samples: ``-> (n, c, h, w)``."""
        if n < 1:
            raise ValueError(f"n must be positive, got {n}")
        return self.decoder(self.sample_prior(n, generator=generator))


# --- the three phases of one minibatch (paper section 2) ---------------------------------------


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
