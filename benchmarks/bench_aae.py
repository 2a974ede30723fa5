"""Benchmark: the adversarial autoencoder against the plain autoencoder and PCA on digits.

Both autoencoders share the seed, the epochs and the architecture (2-D latent, Gaussian prior);
the only difference is whether the regularization phase (discriminator step, generator step)
runs. Training uses 1,077 digits; the per-epoch log and the validation numbers use 270 held-out
training digits; the test digits (450) give only the final numbers. Prints one JSON object:
medians over seeds of MMD² to N(0, I), 5-NN accuracy on the 2-D codes, reconstruction MSE (test
and validation) and training seconds, the ratios AAE / AE, the PCA baseline and the targets.

    python benchmarks/bench_aae.py [--repeats 3] [--epochs N]
"""

from __future__ import annotations

import argparse
import json
import statistics

import torch
from sklearn.decomposition import PCA

from dlpapers import data, metrics
from dlpapers.aae.experiment import train_aae

TARGETS = {
    "aae_mmd2_max": 0.01,
    "mmd2_ratio_max": 0.2,
    "aae_knn_accuracy_min": 0.85,
    "mse_ratio_max": 1.5,
    "aae_seconds_max": 60.0,
}


def pca_knn_accuracy() -> float:
    """5-NN accuracy on 2-D PCA codes of the same split: what a linear projection keeps."""
    split = data.digits(validation_size=0.2)
    flat_train, flat_test = split.x_train.flatten(1).numpy(), split.x_test.flatten(1).numpy()
    pca = PCA(n_components=2, random_state=0).fit(flat_train)
    codes_train = torch.from_numpy(pca.transform(flat_train))
    codes_test = torch.from_numpy(pca.transform(flat_test))
    return metrics.knn_accuracy(codes_train, split.y_train, codes_test, split.y_test)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="seeds 0..repeats-1")
    parser.add_argument("--epochs", type=int, default=None, help="default: the recipe's")
    args = parser.parse_args()
    torch.set_num_threads(1)  # tiny MLPs: a second thread costs more than it brings
    options = {"progress": False, "device": "cpu"}
    if args.epochs is not None:
        options["epochs"] = args.epochs
    runs: dict[str, list[dict[str, float]]] = {"ae": [], "aae": []}
    for seed in range(args.repeats):
        for name in runs:
            run = train_aae(seed=seed, adversarial=name == "aae", **options)
            runs[name].append(run.metrics)
    median = {
        name: {key: statistics.median(m[key] for m in ms) for key in ms[0]}
        for name, ms in runs.items()
    }
    ae, aae = median["ae"], median["aae"]
    ratios = {
        "mmd2_aae_over_ae": aae["mmd2"] / ae["mmd2"],
        "mse_aae_over_ae": aae["test_mse"] / ae["test_mse"],
        "seconds_aae_over_ae": aae["seconds"] / ae["seconds"],
    }
    pca = pca_knn_accuracy()
    passed = {
        "aae_mmd2": aae["mmd2"] <= TARGETS["aae_mmd2_max"],
        "mmd2_ratio": ratios["mmd2_aae_over_ae"] <= TARGETS["mmd2_ratio_max"],
        "aae_knn_accuracy": aae["knn_accuracy"] >= TARGETS["aae_knn_accuracy_min"],
        "mse_ratio": ratios["mse_aae_over_ae"] <= TARGETS["mse_ratio_max"],
        "aae_seconds": aae["seconds"] <= TARGETS["aae_seconds_max"],
    }
    report = {
        "benchmark": "aae",
        "data": "sklearn digits, data.digits(validation_size=0.2): 1077 train / 270 validation"
                " / 450 test, 2-D latent",
        "repeats": args.repeats,
        "torch_threads": torch.get_num_threads(),
        "ae": median["ae"],
        "aae": median["aae"],
        "pca_knn_accuracy": pca,
        "ratios": ratios,
        "per_seed": runs,
        "targets": TARGETS,
        "passed": passed,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
