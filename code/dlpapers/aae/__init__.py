r"""Adversarial autoencoder (Makhzani et al., 2015, "Adversarial Autoencoders").

An autoencoder learns from unlabeled images alone: an encoder $E$ maps an image to a short latent
code $z = E(x)$, a decoder $G$ maps the code back, and the reconstruction loss
$\lVert x - G(E(x)) \rVert^2$ is all it is trained on. Nothing shapes where the codes land, so
they fill an arbitrary, holey region of the latent space and there is no way to *sample* one.

The AAE adds a discriminator $D$ **on the codes** (not on the images). Samples of a chosen prior
$p(z)$ are "real", codes of data are "fake", and the encoder is trained to fool $D$:

$$\min_E \max_D\; \mathbb E_{z \sim p(z)}[\log D(z)] + \mathbb E_x[\log(1 - D(E(x)))]$$

When $D$ can no longer tell them apart, the aggregated posterior $q(z) = \mathbb E_x[q(z|x)]$
matches $p(z)$, so decoding prior samples generates data. Section 2 of the paper trains each
minibatch in two phases:

1. the reconstruction phase: encoder + decoder minimise the reconstruction loss;
2. the regularization phase, in two steps: first the discriminator learns prior samples = 1,
   codes = 0; then the encoder, as the GAN's generator, learns to make $D$ say 1 on its codes.

Each of the three updates has its own optimiser. The package holds :class:`AAEConfig`,
:class:`AdversarialAutoencoder` (encoder, decoder, discriminator, the prior as a
``torch.distributions`` object built from buffers) and, in :mod:`dlpapers.aae.experiment`,
``reconstruction_phase``, ``regularization_phase`` and its two steps ``discriminator_step`` and
``generator_step``, composed by :func:`~dlpapers.aae.experiment.aae_step` into a step for
:func:`dlpapers.train.fit`. The plain autoencoder is the same model trained with
``aae_step(..., adversarial=False)``.
The supervised variant (paper Fig. 4) feeds the discriminator the code *and* a one-hot label, and
draws its "real" samples from the ring component of that label, so each digit gets its own mode.

What is where: :mod:`dlpapers.aae.model` (config and modules), :mod:`dlpapers.aae.experiment`
(the phases, the step and the recipe :func:`~dlpapers.aae.experiment.train_aae`) and
:mod:`dlpapers.aae.plots` (its figures).
"""

from dlpapers.aae.model import PRIORS, AAEConfig, AdversarialAutoencoder

__all__ = ["PRIORS", "AAEConfig", "AdversarialAutoencoder"]
