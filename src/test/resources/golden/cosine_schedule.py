"""Golden values of the cosine noise schedule, computed with numpy (float64).

The formula as the paper defines it (Nichol & Dhariwal 2021, "Improved Denoising Diffusion
Probabilistic Models", arXiv:2102.09672, eq. 17 and the text after it: alpha_bar_t = f(t)/f(0),
f(t) = cos^2((t/T + s)/(1 + s) * pi/2), beta_t = 1 - alpha_bar_t/alpha_bar_{t-1} clipped at 0.999,
s = 0.008), written from the paper, not from our Java code. The paper's steps t = 1..T are the
rows t - 1 = 0..T-1 below (our 0-based step index).

Command (from the repository root):
  /usr/bin/python3 src/test/resources/golden/cosine_schedule.py > src/test/resources/golden/cosine_schedule_T1000.csv

alpha_bar(u) = f(u)/f(0), f(u) = cos^2(((u/T)+s)/(1+s) * pi/2), s = 0.008;
beta_t = clip(1 - alpha_bar(t+1)/alpha_bar(t), max 0.999) for t = 0..T-1;
cumprod = prod_{i<=t}(1 - beta_i); closed = alpha_bar(t+1).
"""
import numpy as np

T = 1000
s = 0.008
u = np.arange(T + 1, dtype=np.float64)
f = np.cos(((u / T) + s) / (1 + s) * np.pi / 2) ** 2
ab = f / f[0]
betas = np.minimum(1 - ab[1:] / ab[:-1], 0.999)
cumprod = np.cumprod(1 - betas)
print("# " + __doc__.strip().splitlines()[0])
print("# /usr/bin/python3 src/test/resources/golden/cosine_schedule.py > src/test/resources/golden/cosine_schedule_T1000.csv")
print("# numpy " + np.__version__ + ", T=%d, s=%g" % (T, s))
print("t,beta,alpha_bar_cumprod,alpha_bar_closed")
for t in range(T):
    print("%d,%.17g,%.17g,%.17g" % (t, betas[t], cumprod[t], ab[t + 1]))
