"""The MDN recipe: Bishop's inverse problem, noise-regularised minibatches and ``train_mdn``.

The command line (``python -m dlpapers train mdn``), the notebook and ``benchmarks/bench_mdn.py``
all call :func:`train_mdn`.
"""

from __future__ import annotations

import dataclasses
import time
from functools import cache

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn
from torch.distributions import Normal
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from dlpapers import data, metrics
from dlpapers.mdn import plots
from dlpapers.mdn.metrics import oracle_nll, pit_values
from dlpapers.mdn.model import MDNConfig, MeanRegressor, MixtureDensityNetwork, mdn_nll, mode
from dlpapers.train import History, Run, fit, pick_device, seed_everything, supervised_step


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
        pit = pit_values(predicted, x_test)
        run_metrics = {
            "test_nll": mdn_nll(predicted, x_test).item(),
            "train_nll": mdn_nll(model(t), x).item(),
            "oracle_nll": oracle_nll(t_test, x_test),
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


def bimodal_gmm(n: int = 1000, seed: int = 0, components: int = 2):
    """Bimodal 1-D data (two Gaussians, at -2 and 1.5) and scikit-learn's ``GaussianMixture``
    fitted to it by EM: the unconditional mixture that an MDN makes conditional."""
    from sklearn.mixture import GaussianMixture

    g = torch.Generator().manual_seed(seed)
    left = torch.rand(n, generator=g) < 0.35
    samples = torch.where(left, -2.0 + 0.6 * torch.randn(n, generator=g),
                          1.5 + 1.0 * torch.randn(n, generator=g))
    gmm = GaussianMixture(components, random_state=seed).fit(samples[:, None].numpy())
    return samples, gmm


@cache
def _page_run() -> Run:
    """The recipe (seed 0) with its baselines, trained once per process for both themes."""
    torch.set_num_threads(1)
    return train_mdn(seed=0, progress=False, device="cpu", baselines=True)


def page_figures() -> dict[str, Figure]:
    """The MDN theory page's figures, drawn at build time (see ``hooks/figures.py``): a GMM fit to
    bimodal data, the MSE fit running between the branches, and ``p(x | t)`` at three inputs."""
    samples, gmm = bimodal_gmm()
    run = _page_run()
    t, x = run.extras["t_train"], run.extras["x_train"]
    return {
        "gmm": plots.mixture_fit(samples, gmm.weights_, gmm.means_, gmm.covariances_ ** 0.5),
        "regression": plots.baselines(t, x, run.extras["baselines"]["mse"]),
        "slices": plots.density_slices(run.model, t, x, at=(0.15, 0.35, 0.6)),
    }
