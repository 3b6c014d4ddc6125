package org.pdsynth.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resting-state BOLD fMRI of one subject from a network model.
 *
 * <p>Neural signals (unit variance, white, sampled every TR/4): one global signal G, one per
 * network N_k, one per region E_r. Region r of network k gets
 * {@code x_r = sqrt(g) G + sqrt(rho_k - g) N_k + sqrt(1 - rho_k) E_r}, so two regions of one
 * network correlate with rho_k (g = {@code globalCorrelation}; rho = the subject's
 * {@code dmnConnectivity} for the DMN, {@code networkCorrelation} otherwise; regions outside every
 * network get {@code sqrt(g) G + sqrt(1 - g) E_r}). Each x_r is convolved with the canonical
 * double-gamma {@link Hrf}, divided by the norm of the sampled HRF (unit variance again, correlations
 * unchanged), sampled at the TR after a 32 s run-in, and scaled by the BOLD amplitude A_r =
 * {@code boldPercent}/100 (x the subject's {@code dmnAmplitude} in the DMN, x
 * {@code unlabelledWeight} for brain voxels outside every region).
 *
 * <p>Voxel v with tissue fractions (gm, wm, csf) and region r, time point n:
 * <pre>
 *   base = bias(v) (gm Bgm cGM + wm Bwm cWM + csf Bcsf cCSF)
 *   bw   = bias(v) (gm Bgm cGM + wm Bwm cWM wmWeight)
 *   S(n) = base (1 + d1 P1(n) + d2 P2(n) + phys(v) p(n)) + bw A_r b_r(n) + sigma e(v, n)
 * </pre>
 * with B the tissue baselines, c the subject's contrast multipliers, bias a smooth multiplicative
 * field (exp of a {@link SmoothField}, wavelengths 120..240 mm), P1/P2 the Legendre polynomials of
 * degree 1 and 2 over the run (drift: d = {@code driftPercent}/100 (subject coefficient + 0.5 voxel
 * deviate)), p(n) a cardiac (1.0..1.2 Hz) plus respiratory (0.25..0.33 Hz) sinusoid pair, sampled at
 * the TR (so aliased as in real data), whose phases vary smoothly over the brain (smooth fields with
 * sd pi, wavelengths 40..80 mm, for the cardiac and sd pi/2, 80..160 mm, for the respiratory
 * component), with amplitude {@code physioPercent}/100 per component scaled up to
 * {@code csfPhysioFactor} in CSF, and Gaussian thermal noise sigma = Bgm / fmriSnr. Outside the
 * brain mask the image is 0.
 *
 * <p>Output: float array in NIfTI order (x, y, z, t), intensities in arbitrary units (grey matter
 * near 1000).
 */
final class BoldSimulator {
    private BoldSimulator() {}

    /** Network index per region label (-1 = none), by the model's network order. */
    static int[] networkOf(LabelTable names, int size, PhantomModel model) {
        int[] net = new int[size];
        java.util.Arrays.fill(net, -1);
        List<List<String>> nets = new ArrayList<>(model.networks().values());
        for (Map.Entry<Integer, String> e : names.names().entrySet()) {
            if (e.getKey() >= size) continue;
            for (int k = 0; k < nets.size(); k++) {
                if (PhantomModel.matches(e.getValue(), nets.get(k))) {
                    net[e.getKey()] = k;
                    break;
                }
            }
        }
        return net;
    }

    /** Index of the DMN among the model's networks, or -1. */
    static int dmnIndex(PhantomModel model) {
        int k = 0;
        for (String name : model.networks().keySet()) {
            if (name.equals(PhantomModel.DMN)) return k;
            k++;
        }
        return -1;
    }

    /**
     * Region BOLD time courses: {@code [region][time]}, already multiplied by the region's
     * amplitude (fraction of baseline). Row 0 is the unlabelled-brain signal.
     */
    static double[][] regionSignals(int regions, int[] net, SubjectParameters p, PhantomModel model, int timepoints, double tr) {
        PhantomModel.Bold b = model.bold();
        int ups = 4;
        double dt = tr / ups;
        double[] h = Hrf.sampled(dt);
        double hn = 0;
        for (double v : h) hn += v * v;
        hn = Math.sqrt(hn);
        int burn = h.length;
        int len = burn + timepoints * ups;
        Rng r = Rng.of(p.seed(), SubjectParameters.NETWORK);
        int nNet = model.networks().size();
        double[] global = white(r, len);
        double[][] netSig = new double[nNet][];
        for (int k = 0; k < nNet; k++) netSig[k] = white(r, len);
        int dmn = dmnIndex(model);
        double g = b.globalCorrelation();
        double[][] out = new double[regions][timepoints];
        double[] x = new double[len];
        for (int reg = 0; reg < regions; reg++) {
            double[] e = white(r, len);
            int k = net[reg];
            double rho = k < 0 ? g : k == dmn ? p.dmnConnectivity() : b.networkCorrelation();
            rho = Math.max(rho, g);
            double cg = Math.sqrt(g), cn = Math.sqrt(rho - g), ce = Math.sqrt(1 - rho);
            for (int t = 0; t < len; t++) x[t] = cg * global[t] + (k >= 0 ? cn * netSig[k][t] : 0) + ce * e[t];
            double amp = b.boldPercent() / 100 * (k == dmn && k >= 0 ? p.dmnAmplitude() : 1) * (reg == 0 ? b.unlabelledWeight() : 1);
            for (int n = 0; n < timepoints; n++) {
                int t0 = burn + n * ups;
                double acc = 0;
                for (int j = 0; j < h.length; j++) acc += h[j] * x[t0 - j];
                out[reg][n] = amp * acc / hn;
            }
        }
        return out;
    }

    private static double[] white(Rng r, int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = r.gaussian();
        return v;
    }

    /** The fMRI series of subject anatomy {@code s}, float array in (x, y, z, t) order. */
    static float[] simulate(Anatomy s, SubjectParameters p, PhantomOptions o, Slices slices) {
        PhantomModel model = o.model();
        PhantomModel.Bold b = model.bold();
        int T = o.timepoints();
        double tr = o.tr();
        int size = s.regionNames.maxIndex() + 1;
        for (int l : s.region) size = Math.max(size, l + 1);
        int[] net = networkOf(s.regionNames, size, model);
        double[][] sig = regionSignals(size, net, p, model, T, tr);

        Rng r = Rng.of(p.seed(), SubjectParameters.FMRI_VOXEL);
        double a1 = r.gaussian(), a2 = r.gaussian();
        double fc = r.uniform(1.0, 1.2), fr = r.uniform(0.25, 0.33), pc = r.uniform(0, 2 * Math.PI), pr = r.uniform(0, 2 * Math.PI);
        double[] p1 = new double[T], p2 = new double[T], cSin = new double[T], cCos = new double[T], rSin = new double[T],
                rCos = new double[T];
        for (int n = 0; n < T; n++) {
            double u = T == 1 ? 0 : 2.0 * n / (T - 1) - 1;
            p1[n] = u;
            p2[n] = 1.5 * u * u - 0.5;
            double t = n * tr;
            cSin[n] = Math.sin(2 * Math.PI * fc * t + pc);
            cCos[n] = Math.cos(2 * Math.PI * fc * t + pc);
            rSin[n] = Math.sin(2 * Math.PI * fr * t + pr);
            rCos[n] = Math.cos(2 * Math.PI * fr * t + pr);
        }
        // phase of the pulsation varies smoothly over the brain (vascular territories, arrival times)
        SmoothField cardPhase = new SmoothField(Rng.of(p.seed(), SubjectParameters.FMRI_VOXEL, 1), 8, 40, Math.PI);
        SmoothField respPhase = new SmoothField(Rng.of(p.seed(), SubjectParameters.FMRI_VOXEL, 2), 8, 80, Math.PI / 2);
        SmoothField bias = new SmoothField(Rng.of(p.seed(), SubjectParameters.BIAS_FMRI), 6, 120, model.variability().biasPercent() / 100);
        double[] cf = p.contrastFmri();
        double bg = b.baseGm() * cf[0], bwm = b.baseWm() * cf[1], bc = b.baseCsf() * cf[2];
        double sigma = Double.isInfinite(o.fmriSnr()) ? 0 : b.baseGm() / o.fmriSnr();
        double drift = b.driftPercent() / 100, physio = b.physioPercent() / 100;
        double[] a = s.grid.geometry().affine();
        int nx = s.nx, ny = s.ny, nz = s.nz;
        long vol = (long) s.n;
        if (vol * T > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("fMRI of " + vol + " voxels x " + T + " time points is too large for one array");
        float[] out = new float[(int) (vol * T)];
        slices.forEach(nz, z -> {
            Rng noise = Rng.of(p.seed(), SubjectParameters.FMRI_NOISE, z);
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    if (!s.inBrain(i)) continue;
                    double gm = s.gm[i], wm = s.wm[i], csf = s.csf[i], tot = gm + wm + csf;
                    double px = a[0] * x + a[1] * y + a[2] * z + a[3];
                    double py = a[4] * x + a[5] * y + a[6] * z + a[7];
                    double pz = a[8] * x + a[9] * y + a[10] * z + a[11];
                    double f = Math.exp(bias.at(px, py, pz));
                    double base = f * (gm * bg + wm * bwm + csf * bc);
                    double bw = f * (gm * bg + wm * bwm * b.wmWeight());
                    double[] reg = sig[s.region[i]];
                    double d1 = drift * (a1 + 0.5 * noise.gaussian()), d2 = drift * (a2 + 0.5 * noise.gaussian());
                    double ph = physio * (1 + (b.csfPhysioFactor() - 1) * csf / tot);
                    double cp = cardPhase.at(px, py, pz), rp = respPhase.at(px, py, pz);
                    // sin(w t + p0 + phi) = sin(w t + p0) cos(phi) + cos(w t + p0) sin(phi)
                    double cc = ph * Math.cos(cp), cs = ph * Math.sin(cp), rc = ph * Math.cos(rp), rs = ph * Math.sin(rp);
                    for (int n = 0; n < T; n++) {
                        double phys = cc * cSin[n] + cs * cCos[n] + rc * rSin[n] + rs * rCos[n];
                        double v = base * (1 + d1 * p1[n] + d2 * p2[n] + phys) + bw * reg[n];
                        if (sigma > 0) v += sigma * noise.gaussian();
                        out[(int) (i + vol * n)] = (float) v;
                    }
                }
            }
        });
        return out;
    }
}
