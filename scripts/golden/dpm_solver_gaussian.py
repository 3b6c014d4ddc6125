#!/usr/bin/python3
"""Independent twin (numpy) of DdimAnalyticTest: DDIM and DPM-Solver++(2M) (Lu et al. 2022,
arXiv 2211.01095) with the exact posterior-mean denoiser of Gaussian data x0 ~ N(0.2, 0.3^2),
cosine schedule T = 1000. Prints the sample variance (truth 0.09) per step count, with steps
spaced evenly in t and evenly in log-SNR. Run: /usr/bin/python3 scripts/golden/dpm_solver_gaussian.py"""
import numpy as np

T, S_OFF, MU, S = 1000, 0.008, 0.2, 0.3
f = lambda u: np.cos(((u / T) + S_OFF) / (1 + S_OFF) * np.pi / 2) ** 2
ab = np.cumprod(1 - np.minimum(1 - f(np.arange(1, T + 1)) / f(np.arange(T)), 0.999))
lam = 0.5 * np.log(ab / (1 - ab))


def denoise(x, t):
    a = ab[t]
    return MU + np.sqrt(a) * S * S / (a * S * S + 1 - a) * (x - np.sqrt(a) * MU)


def t_spacing(n):
    return np.round(np.arange(n) * (T - 1) / (n - 1)).astype(int)


def logsnr_spacing(n):
    want = np.linspace(lam[-1], lam[0], n)
    return np.array(sorted({int(np.argmin(np.abs(lam - v))) for v in want}))


def solve(x, tau, second):
    prev, hprev = None, None
    for i in range(len(tau) - 1, -1, -1):
        t = tau[i]
        d = denoise(x, t)
        if i == 0:
            x = d
        else:
            an = ab[tau[i - 1]]
            h = lam[tau[i - 1]] - lam[t]
            dc = d if (prev is None or not second) else (1 + 1 / (2 * hprev / h)) * d - prev / (2 * hprev / h)
            x = np.sqrt(1 - an) / np.sqrt(1 - ab[t]) * x - np.sqrt(an) * np.expm1(-h) * dc
            hprev = h
        prev = d
    return x


x = np.random.default_rng(0).standard_normal(200_000)
for n in (5, 10, 20, 50, 200):
    print(f"{n:3d} steps: DDIM (t) var {solve(x, t_spacing(n), False).var():.4f}, "
          f"DPM++2M (t) var {solve(x, t_spacing(n), True).var():.4f}, "
          f"DPM++2M (log-SNR) var {solve(x, logsnr_spacing(n), True).var():.4f}  (truth {S * S:.4f})")
