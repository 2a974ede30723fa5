"""The recipes: which data, config, optimiser and schedule each assignment trains with.

The command line (``python -m dlpapers train ...``), the notebooks and the benchmarks all call
these functions, so a number on the site and a number in a terminal come from the same code.
Each ``train_*`` function seeds everything, builds the model from its config, trains it with
:func:`dlpapers.train.fit` and returns a :class:`Run`.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn
from torch.distributions import Normal
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from dlpapers import data, metrics
from dlpapers.aae import AAEConfig, AdversarialAutoencoder, aae_step
from dlpapers.mdn import MDNConfig, MeanRegressor, MixtureDensityNetwork, mdn_nll, mode
from dlpapers.train import History, fit, pick_device, seed_everything, supervised_step
from dlpapers.vit import ViT, ViTConfig


@dataclass
class Run:
    """What one training run produced.

    Attributes:
        model: The trained model, in eval mode.
        history: Per-epoch numbers logged during training.
        metrics: Final test-set numbers (what ``metrics.json`` stores).
        seconds: Wall-clock training time.
        extras: Anything else a recipe returns for plots (baselines, held-out tensors).
    """

    model: nn.Module
    history: History
    metrics: dict[str, float]
    seconds: float
    extras: dict = field(default_factory=dict)


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


class JitteredBatches:
    """Shuffled minibatches of ``(t, x)`` with fresh Gaussian noise on ``t`` and ``x`` each time.

    Noise regularisation of a conditional density estimator (Bishop, 1995; Rothfuss et al., 2019,
    "Noise Regularization for Conditional Density Estimation"): noise on the input ``t`` smooths
    the predicted density along ``t``, noise on the target ``x`` smooths it along ``x``, so 1,000
    points are not fitted one bump at a time. ``t_noise`` and ``x_noise`` are standard
    deviations in the data's own units (0 turns one off).
    """

    def __init__(self, t, x, *, batch_size: int, t_noise: float = 0.0, x_noise: float = 0.0,
                 seed: int) -> None:
        self.t, self.x, self.batch_size = t, x, batch_size
        self.t_noise, self.x_noise = t_noise, x_noise
        self.generator = torch.Generator().manual_seed(seed)

    def __len__(self) -> int:
        return -(-len(self.t) // self.batch_size)

    def __iter__(self):
        order = torch.randperm(len(self.t), generator=self.generator)
        for rows in order.split(self.batch_size):
            t, x = self.t[rows], self.x[rows]
            if self.t_noise:
                t = t + self.t_noise * torch.randn(t.shape, generator=self.generator)
            if self.x_noise:
                x = x + self.x_noise * torch.randn(x.shape, generator=self.generator)
            yield t, x


def _fit_density(model, loss_fn, t, x, *, epochs, batch_size, lr, weight_decay, input_noise,
                 target_noise, ema, seed, device, progress, desc, evaluate=None) -> History:
    """AdamW with a per-step cosine decay over jittered minibatches: the MDN recipe's optimiser.

    The noise levels are in standardised units (multiples of the training data's standard
    deviations). With ``ema``, an exponential moving average of the weights (decay ``ema``) is
    kept after every step and copied into ``model`` at the end.
    """
    s = model.standardization
    s.fit(t, x)
    batches = JitteredBatches(t, x, batch_size=batch_size, t_noise=input_noise * s.t_std.item(),
                              x_noise=target_noise * s.x_std.item(), seed=seed)
    model.to(pick_device(device))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs * len(batches))
    step = supervised_step(model, optimizer, loss_fn=loss_fn, scheduler=schedule)
    if ema is not None:
        average = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(ema))
        sgd_step = step

        def step(batch):
            logs = sgd_step(batch)
            average.update_parameters(model)
            return logs

    history = fit(model, step, batches, epochs=epochs, evaluate=evaluate, device=device,
                  progress=progress, desc=desc)
    if ema is not None:
        model.load_state_dict(average.module.state_dict())
    return history


def train_mdn(
    config: MDNConfig | None = None,
    *,
    epochs: int = 500,
    seed: int = 0,
    device: str = "auto",
    progress: bool = True,
    n_train: int = 1000,
    n_test: int = 10_000,
    batch_size: int = 100,
    lr: float = 3e-3,
    weight_decay: float = 0.0,
    input_noise: float = 0.05,
    target_noise: float = 0.0,
    ema: float | None = None,
    baselines: bool = False,
) -> Run:
    """Train a mixture density network on Bishop's inverse problem (predict ``x`` from ``t``).

    Data: :func:`dlpapers.data.inverted_sinusoid`, ``n_train`` points with ``seed`` and a test set
    of ``n_test`` points with ``seed + 10_000``. The model standardises ``t`` and ``x`` itself.
    Training: AdamW, minibatches of ``batch_size``, a cosine learning-rate decay per step and
    fresh Gaussian noise on every minibatch: ``input_noise`` on ``t`` and ``target_noise`` on
    ``x``, both in standardised units (multiples of the training data's standard deviation).
    The defaults were chosen on a validation set (``n_test`` points with ``seed + 20_000``), never
    on the test set: noise 0.05 on ``t`` helped, noise on ``x`` hurt (the true densities have
    sharp edges that it blurs), and the weight average (``ema``, e.g. ``0.999``) changed
    nothing measurable, so both are off by default.

    Args:
        config: The model; by default 10 components, two tanh layers of 64.
        ema: Decay of an exponential moving average of the weights, whose average becomes the
            final model; ``None`` trains without one.
        baselines: Also train the least-squares :class:`~dlpapers.mdn.MeanRegressor` (scored as
            a Gaussian with the training residuals' variance) and a single heteroscedastic
            Gaussian (the same network with one component), with the same recipe.

    Returns:
        A :class:`Run` whose metrics hold ``test_nll``, ``oracle_nll``, ``pit_ks`` and
        ``pit_ks_critical_1pct`` (plus ``mse_nll``, ``gaussian_nll`` with ``baselines``), and
        whose extras hold the data, the test PIT values and the baseline models.
    """
    config = config or MDNConfig(components=10)
    seed_everything(seed)
    t, x = data.inverted_sinusoid(n_train, seed=seed)
    t_test, x_test = data.inverted_sinusoid(n_test, seed=seed + 10_000)
    options = dict(epochs=epochs, batch_size=batch_size, lr=lr, weight_decay=weight_decay,
                   input_noise=input_noise, target_noise=target_noise, ema=ema, seed=seed,
                   device=device, progress=progress)
    model = MixtureDensityNetwork(config)
    device_ = pick_device(device)

    epoch = 0

    def evaluate(m: nn.Module) -> dict[str, float]:  # the test NLL every 10 epochs
        nonlocal epoch
        epoch += 1
        if epoch % 10:
            return {}
        return {"test_nll": mdn_nll(m(t_test.to(device_)), x_test.to(device_)).item()}

    start = time.perf_counter()
    history = _fit_density(model, mdn_nll, t, x, desc="mdn", evaluate=evaluate, **options)
    seconds = time.perf_counter() - start
    model.cpu()
    with torch.no_grad():
        predicted = model(t_test)
        pit = metrics.pit_values(predicted, x_test)
        run_metrics = {
            "test_nll": mdn_nll(predicted, x_test).item(),
            "train_nll": mdn_nll(model(t), x).item(),
            "oracle_nll": metrics.oracle_nll(t_test, x_test),
            "pit_ks": metrics.ks_uniform(pit),
            "pit_ks_critical_1pct": metrics.ks_critical_value(n_test),
        }
    extras = {"t_train": t, "x_train": x, "t_test": t_test, "x_test": x_test, "pit": pit}
    if baselines:
        seed_everything(seed)
        gaussian = MixtureDensityNetwork(dataclasses.replace(config, components=1))
        _fit_density(gaussian, mdn_nll, t, x, desc="gaussian", **options)
        seed_everything(seed)
        mse = MeanRegressor(config)
        _fit_density(mse, F.mse_loss, t, x, desc="mse", **options)
        with torch.no_grad():
            gaussian.cpu(), mse.cpu()
            variance = (mse(t) - x).pow(2).mean()
            as_gaussian = Normal(mse(t_test), variance.sqrt())
            run_metrics["gaussian_nll"] = mdn_nll(gaussian(t_test), x_test).item()
            run_metrics["mse_nll"] = -as_gaussian.log_prob(x_test).mean().item()
            run_metrics["mse_test_mse"] = F.mse_loss(mse(t_test), x_test).item()
            run_metrics["mdn_mode_test_mse"] = F.mse_loss(mode(predicted), x_test).item()
        extras["baselines"] = {"gaussian": gaussian, "mse": mse}
    return Run(model=model, history=history, metrics=run_metrics, seconds=seconds, extras=extras)


# --- ViT ---


class ShiftedBatches:
    """Shuffled minibatches of ``(x, y)`` whose images move by up to ``max_shift`` pixels.

    Each image is zero-padded by ``max_shift`` on every side and cropped back at a random offset,
    a new one per image and per epoch, drawn from one seeded generator. Digits are centred on a
    black background, so a 1-pixel shift keeps the label and shows the ViT (which, unlike a CNN,
    has no translation equivariance built in) the same digit at other patch boundaries.
    """

    def __init__(self, x, y, *, batch_size: int, max_shift: int, seed: int) -> None:
        self.x, self.y, self.batch_size, self.max_shift = x, y, batch_size, max_shift
        self.generator = torch.Generator().manual_seed(seed)

    def __len__(self) -> int:
        return -(-len(self.x) // self.batch_size)

    def shift(self, x: torch.Tensor) -> torch.Tensor:
        """``x: (b, c, h, w) -> (b, c, h, w)``, each image moved by its own random offset."""
        s = self.max_shift
        if s == 0:
            return x
        b, _, h, w = x.shape
        padded = F.pad(x, (s, s, s, s))
        dy, dx = torch.randint(0, 2 * s + 1, (2, b, 1, 1), generator=self.generator)
        rows = torch.arange(h).view(1, h, 1) + dy  # (b, h, 1)
        cols = torch.arange(w).view(1, 1, w) + dx  # (b, 1, w)
        # advanced indexing puts the indexed axes first: (b, h, w, c) -> (b, c, h, w)
        return padded[torch.arange(b).view(b, 1, 1), :, rows, cols].permute(0, 3, 1, 2)

    def __iter__(self):
        order = torch.randperm(len(self.x), generator=self.generator)
        for rows in order.split(self.batch_size):
            yield self.shift(self.x[rows]), self.y[rows]


def train_vit(
    config: ViTConfig | None = None,
    *,
    epochs: int = 60,
    seed: int = 0,
    device: str = "auto",
    progress: bool = True,
    batch_size: int = 64,
    lr: float = 2e-3,
    weight_decay: float = 0.05,
    warmup: float = 0.05,
    label_smoothing: float = 0.1,
    max_shift: int = 0,
    subset: int | None = None,
) -> Run:
    """Train a :class:`~dlpapers.vit.ViT` on the 8x8 digits (1,347 train / 450 test images).

    A ViT has little inductive bias, so on 1,347 images it needs the regularisation that DeiT
    used at scale, in miniature: label smoothing, dropout, weight decay (AdamW) and a learning
    rate that warms up linearly for the first ``warmup`` fraction of the steps and then follows a
    cosine down to zero, stepped once per minibatch. Random 1-pixel shifts are available but off:
    the digits fill their 8x8 box, a shift cuts strokes off, and test accuracy dropped (0.960
    vs 0.987 at 60 epochs, seed 0).

    Args:
        config: The model's config; the default is patch 2 (16 tokens + class
            token), dim 64, depth 4, 4 heads, MLP 128, dropout 0.1.
        epochs: Passes over the training digits.
        seed: Seeds the weights, the shuffling, the shifts and dropout.
        device: See :func:`dlpapers.train.pick_device`.
        progress: Show the progress bar.
        batch_size: Minibatch size.
        lr: Peak learning rate of AdamW.
        weight_decay: AdamW's decoupled weight decay.
        warmup: Fraction of all steps spent warming up.
        label_smoothing: Passed to ``F.cross_entropy``.
        max_shift: Largest random shift in pixels (0, the default, turns augmentation off).
        subset: Train on the first ``subset`` training images only (quick tests).

    Returns:
        A :class:`Run` with metrics ``test_accuracy``, ``test_loss`` and ``seconds``; the history
        has ``loss`` and ``test_accuracy`` per epoch; ``extras`` holds the ``split`` (a
        :class:`~dlpapers.data.Split`) and the test ``predictions`` for plots.
    """
    config = config or ViTConfig()
    seed_everything(seed)
    split = data.digits()
    if split.image_shape != (config.channels, config.image_size, config.image_size):
        raise ValueError(
            f"digits are {split.image_shape} (c, h, w): use ViTConfig(channels=1, image_size=8)"
        )
    x_train, y_train = split.x_train[:subset], split.y_train[:subset]
    batches = ShiftedBatches(x_train, y_train, batch_size=batch_size, max_shift=max_shift,
                             seed=seed)
    dev = pick_device(device)
    model = ViT(config).to(dev)
    # the fused kernel updates all 52 tensors at once: 4x faster than the loop on a CPU
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay,
                                  fused=dev.type in ("cpu", "cuda"))
    total = epochs * len(batches)
    ramp = max(1, round(warmup * total))
    schedule = torch.optim.lr_scheduler.SequentialLR(
        optimizer,
        [torch.optim.lr_scheduler.LinearLR(optimizer, 1e-3, 1.0, total_iters=ramp),
         torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, max(1, total - ramp))],
        milestones=[ramp],
    )

    def loss_fn(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(logits, targets, label_smoothing=label_smoothing)

    x_test, y_test = split.x_test.to(dev), split.y_test.to(dev)

    def evaluate(m: nn.Module) -> dict[str, float]:
        return {"test_accuracy": metrics.accuracy(m(x_test), y_test)}

    start = time.perf_counter()
    history = fit(model, supervised_step(model, optimizer, loss_fn, scheduler=schedule), batches,
                  epochs=epochs, evaluate=evaluate, device=dev, progress=progress, desc="vit")
    seconds = time.perf_counter() - start
    with torch.no_grad():
        logits = model(x_test)
    result = {
        "test_accuracy": metrics.accuracy(logits, y_test),
        "test_loss": F.cross_entropy(logits, y_test).item(),
        "seconds": seconds,
    }
    extras = {"split": split, "predictions": logits.argmax(dim=1).cpu()}
    return Run(model=model.cpu(), history=history, metrics=result, seconds=seconds, extras=extras)
