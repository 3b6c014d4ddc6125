#!/usr/bin/python3
"""PyTorch twin of org.pdsynth.model.NoiseEstimator, the speed reference of bench/model-speed.sh.

Same architecture, widths and parameter count as the DJL network (the count is printed by both
and compared by model-speed.sh), written the idiomatic PyTorch way (nn.GroupNorm, F.silu). Run
with Debian's PyTorch 1.13 (python3-torch):

  /usr/bin/python3 bench/torch_twin.py --grid 48,56,48 --channels 8 --threads 2 --json out.json

Measures, after warm-up, the median of:
  forward: one no-grad forward pass, batch --forward-batch (default 1, as in sampling);
  train:   one training step, batch --batch (default 2): noise draw and x_t, forward, L1 loss,
           backward, Adam step, EMA update (what Trainer.step does);
and peak RSS (ru_maxrss) after the forward phase and after the train phase. Each time is taken
as wall time and as process CPU time (user + system, all threads); on a busy machine the CPU
time is the steadier of the two.
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv3(cin, cout, stride=1):
    return nn.Conv3d(cin, cout, 3, stride=stride, padding=1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb, groups):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = conv3(cin, cout)
        self.emb = nn.Linear(emb, cout)
        self.norm2 = nn.GroupNorm(groups, cout)
        self.conv2 = conv3(cout, cout)
        self.skip = nn.Conv3d(cin, cout, 1) if cin != cout else None

    def forward(self, x, e):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(e)[:, :, None, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class Attention(nn.Module):
    def __init__(self, ch, heads, groups):
        super().__init__()
        self.heads = heads
        self.norm = nn.GroupNorm(groups, ch)
        self.qkv = nn.Conv3d(ch, 3 * ch, 1)
        self.proj = nn.Conv3d(ch, ch, 1)

    def forward(self, x):
        b, c, d, h, w = x.shape
        dh = c // self.heads
        qkv = self.qkv(self.norm(x)).reshape(b, 3, self.heads, dh, d * h * w)
        q, k, v = qkv[:, 0] / math.sqrt(dh), qkv[:, 1], qkv[:, 2]
        a = torch.softmax(q.transpose(2, 3) @ k, dim=-1)
        o = (v @ a.transpose(2, 3)).reshape(b, c, d, h, w)
        return x + self.proj(o)


class Up(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = conv3(cin, cout)

    def forward(self, x, skip):
        x = F.interpolate(x, scale_factor=2, mode="nearest")
        x = x[:, :, : skip.shape[2], : skip.shape[3], : skip.shape[4]]
        return self.conv(x)


class NoiseEstimator(nn.Module):
    def __init__(self, n=8, base=32, mults=(1, 2, 2, 4), res=1, heads=4, groups=8, emb=128):
        super().__init__()
        self.n, self.embdim = n, emb
        w = [base * m for m in mults]
        self.time1 = nn.Linear(emb, emb)
        self.time2 = nn.Linear(emb, emb)
        self.direction = nn.Linear(2, emb, bias=False)
        self.label = nn.Linear(4, emb, bias=False)
        self.inconv = conv3(2 * n, w[0])
        self.enc, self.down = nn.ModuleList(), nn.ModuleList()
        ch = w[0]
        for l in range(len(w)):
            blocks = nn.ModuleList()
            for _ in range(res):
                blocks.append(ResBlock(ch, w[l], emb, groups))
                ch = w[l]
            self.enc.append(blocks)
            if l < len(w) - 1:
                self.down.append(conv3(ch, ch, stride=2))
        self.mid1 = ResBlock(ch, ch, emb, groups)
        self.attn = Attention(ch, heads, groups)
        self.mid2 = ResBlock(ch, ch, emb, groups)
        self.dec = nn.ModuleList([None] * len(w))
        self.up = nn.ModuleList([None] * len(w))
        for l in reversed(range(len(w))):
            blocks = nn.ModuleList()
            cin = ch + w[l]
            for _ in range(res):
                blocks.append(ResBlock(cin, w[l], emb, groups))
                cin = w[l]
            self.dec[l] = blocks
            ch = w[l]
            if l > 0:
                self.up[l] = Up(w[l], w[l - 1])
                ch = w[l - 1]
        self.outnorm = nn.GroupNorm(groups, w[0])
        self.outconv = conv3(w[0], n)

    def sinusoid(self, t):
        half = self.embdim // 2
        f = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        a = t.float()[:, None] * f[None]
        return torch.cat([torch.sin(a), torch.cos(a)], dim=1)

    def forward(self, xt, c, t, d, y):
        e = self.time2(F.silu(self.time1(self.sinusoid(t))))
        e = e + self.direction(F.one_hot(d, 2).float()) + self.label(F.one_hot(y, 4).float())
        e = F.silu(e)
        h = self.inconv(torch.cat([xt, c], dim=1))
        skips = []
        for l, blocks in enumerate(self.enc):
            for r in blocks:
                h = r(h, e)
            skips.append(h)
            if l < len(self.enc) - 1:
                h = self.down[l](h)
        h = self.mid2(self.attn(self.mid1(h, e)), e)
        for l in reversed(range(len(self.enc))):
            h = torch.cat([h, skips[l]], dim=1)
            for r in self.dec[l]:
                h = r(h, e)
            if l > 0:
                h = self.up[l](h, skips[l - 1])
        return self.outconv(F.silu(self.outnorm(h)))


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--grid", default="48,56,48", help="Z,Y,X")
    ap.add_argument("--channels", type=int, default=8)
    ap.add_argument("--base", type=int, default=32)
    ap.add_argument("--mults", default="1,2,2,4")
    ap.add_argument("--res", type=int, default=1)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--groups", type=int, default=8)
    ap.add_argument("--emb", type=int, default=128)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--forward-batch", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    z, yy, x = (int(v) for v in a.grid.split(","))
    net = NoiseEstimator(a.channels, a.base, tuple(int(m) for m in a.mults.split(",")), a.res, a.heads, a.groups, a.emb)
    params = sum(p.numel() for p in net.parameters())
    T = 1000
    s = 0.008
    u = torch.arange(T + 1, dtype=torch.float64)
    f = torch.cos(((u / T) + s) / (1 + s) * math.pi / 2) ** 2
    betas = torch.clamp(1 - (f[1:] / f[0]) / (f[:-1] / f[0]), max=0.999)
    alpha_bar = torch.cumprod(1 - betas, 0).float()

    # forward, batch forward-batch, no grad
    net.eval()
    fb = a.forward_batch
    xt = torch.randn(fb, a.channels, z, yy, x)
    c = torch.rand(fb, a.channels, z, yy, x) * 2 - 1
    tt = torch.randint(0, T, (fb,))
    d = torch.randint(0, 2, (fb,))
    lab = torch.randint(0, 4, (fb,))
    # convolution FLOP of one forward pass (2 x multiply-adds), counted on this network by hooks
    conv_flop = [0]
    def count(mod, inp, out):
        k = 1
        for v in mod.kernel_size: k *= v
        conv_flop[0] += 2 * out.numel() * (mod.in_channels // mod.groups) * k
    hooks = [m.register_forward_hook(count) for m in net.modules() if isinstance(m, nn.Conv3d)]
    with torch.no_grad():
        net(xt, c, tt, d, lab)
    for h in hooks: h.remove()
    fwd, fwd_cpu = [], []
    with torch.no_grad():
        for i in range(a.warmup + a.iters):
            t0, c0 = time.perf_counter(), time.process_time()
            out = net(xt, c, tt, d, lab)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            if i >= a.warmup:
                fwd.append(dt)
                fwd_cpu.append(dc)
    rss_forward = peak_rss_mib()

    # training step, batch b
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=2e-4)
    ema = [p.detach().clone() for p in net.parameters()]
    b = a.batch
    x0 = torch.rand(b, a.channels, z, yy, x) * 2 - 1
    cond = torch.rand(b, a.channels, z, yy, x) * 2 - 1
    train, train_cpu = [], []
    for i in range(a.warmup + a.iters):
        t0, c0 = time.perf_counter(), time.process_time()
        t = torch.randint(0, T, (b,))
        eps = torch.randn_like(x0)
        ab = alpha_bar[t][:, None, None, None, None]
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
        loss = (net(xt, cond, t, torch.randint(0, 2, (b,)), torch.randint(0, 4, (b,))) - eps).abs().mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for e, p in zip(ema, net.parameters()):
                e.mul_(0.999).add_(p.detach(), alpha=0.001)
        loss.item()
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        if i >= a.warmup:
            train.append(dt)
            train_cpu.append(dc)
    rss_train = peak_rss_mib()
    res = {
        "impl": "torch " + torch.__version__,
        "threads": torch.get_num_threads(),
        "grid_zyx": [z, yy, x],
        "channels": a.channels,
        "parameters": params,
        "forward_batch": fb,
        "train_batch": b,
        "forward_s": statistics.median(fwd),
        "train_step_s": statistics.median(train),
        "forward_all_s": fwd,
        "train_all_s": train,
        "forward_cpu_all_s": fwd_cpu,
        "train_cpu_all_s": train_cpu,
        "peak_rss_forward_mib": rss_forward,
        "peak_rss_train_mib": rss_train,
        "forward_conv_gflop": conv_flop[0] / 1e9 / fb,
    }
    text = json.dumps(res, indent=1)
    print(text)
    if a.json:
        with open(a.json, "w") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
