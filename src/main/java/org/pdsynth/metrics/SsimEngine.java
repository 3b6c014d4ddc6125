package org.pdsynth.metrics;

import java.util.stream.IntStream;

/**
 * The SSIM map of two 3-D volumes held as flat double arrays (x fastest, then y, then z), computed
 * as scikit-image 0.19.3 {@code structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False)} does, in float64:
 * <pre>
 *   ux = G(a), uy = G(b), uxx = G(a*a), uyy = G(b*b), uxy = G(a*b)     (G: 3-D Gaussian filter)
 *   vx = uxx - ux^2,  vy = uyy - uy^2,  vxy = uxy - ux*uy               (population covariance)
 *   S  = (2 ux uy + C1)(2 vxy + C2) / ((ux^2 + uy^2 + C1)(vx + vy + C2)), C1 = (K1 R)^2, C2 = (K2 R)^2
 * </pre>
 * G is separable: a 1-D correlation along x, then y, then z (scipy's axis order for an
 * array indexed [x][y][z]), with scipy's 'reflect' borders. Work runs in parallel over z slices
 * (the common fork-join pool, sized by the number of processors).
 */
final class SsimEngine {
    static final double K1 = org.pdsynth.volume.SsimConvention.K1;
    static final double K2 = org.pdsynth.volume.SsimConvention.K2;

    private static final int A = 0, B = 1, AA = 2, BB = 3, AB = 4, FIELDS = 5;

    private SsimEngine() {}

    /**
     * The SSIM map, one value per voxel, same layout as the inputs.
     *
     * @param dims {nx, ny, nz}; every one at least the window size (checked by the callers)
     */
    static double[] map(double[] a, double[] b, int[] dims, double dataRange, GaussianWindow win) {
        int nx = dims[0], ny = dims[1], nz = dims[2];
        int nxy = nx * ny;
        double[][] filtered = new double[FIELDS][a.length];
        // pass 1: per z slice, filter x then y, for the five fields a, b, a*a, b*b, a*b
        IntStream.range(0, nz).parallel().forEach(z -> {
            double[] line = new double[nx + 2 * win.radius];
            double[] tmp = new double[nxy];
            int off = z * nxy;
            for (int f = 0; f < FIELDS; f++) {
                filterX(a, b, f, off, nx, ny, win, line, tmp);
                filterY(tmp, filtered[f], off, nx, ny, win);
            }
        });
        // pass 2: per output z plane, filter along z and evaluate SSIM
        double c1 = (K1 * dataRange) * (K1 * dataRange);
        double c2 = (K2 * dataRange) * (K2 * dataRange);
        double[] out = new double[a.length];
        IntStream.range(0, nz).parallel().forEach(z -> {
            double[][] acc = new double[FIELDS][nxy];
            double[] w = win.weights;
            int r = win.radius;
            for (int f = 0; f < FIELDS; f++) {
                double[] src = filtered[f], dst = acc[f];
                double w0 = w[r];
                int p0 = z * nxy;
                for (int i = 0; i < nxy; i++) dst[i] = w0 * src[p0 + i];
                for (int j = 1; j <= r; j++) {
                    double wj = w[r + j];
                    int pm = GaussianWindow.reflect(z - j, nz) * nxy;
                    int pp = GaussianWindow.reflect(z + j, nz) * nxy;
                    for (int i = 0; i < nxy; i++) dst[i] += wj * (src[pm + i] + src[pp + i]);
                }
            }
            double[] ux = acc[A], uy = acc[B], uxx = acc[AA], uyy = acc[BB], uxy = acc[AB];
            int p0 = z * nxy;
            for (int i = 0; i < nxy; i++) {
                double mx = ux[i], my = uy[i];
                double vx = uxx[i] - mx * mx;
                double vy = uyy[i] - my * my;
                double vxy = uxy[i] - mx * my;
                double a1 = 2 * mx * my + c1;
                double a2 = 2 * vxy + c2;
                double b1 = mx * mx + my * my + c1;
                double b2 = vx + vy + c2;
                out[p0 + i] = (a1 * a2) / (b1 * b2);
            }
        });
        return out;
    }

    /** Field f of the slice at offset off, filtered along x into tmp (nx * ny). */
    private static void filterX(double[] a, double[] b, int f, int off, int nx, int ny,
                                GaussianWindow win, double[] line, double[] tmp) {
        int r = win.radius;
        double[] w = win.weights;
        for (int y = 0; y < ny; y++) {
            int row = off + y * nx;
            for (int p = 0; p < line.length; p++) {
                int i = row + GaussianWindow.reflect(p - r, nx);
                line[p] = switch (f) {
                    case A -> a[i];
                    case B -> b[i];
                    case AA -> a[i] * a[i];
                    case BB -> b[i] * b[i];
                    default -> a[i] * b[i];
                };
            }
            int t = y * nx;
            for (int x = 0; x < nx; x++) {
                int c = x + r;
                double s = w[r] * line[c];
                for (int j = 1; j <= r; j++) s += w[r + j] * (line[c - j] + line[c + j]);
                tmp[t + x] = s;
            }
        }
    }

    /** The x-filtered slice tmp filtered along y into dst at offset off. */
    private static void filterY(double[] tmp, double[] dst, int off, int nx, int ny, GaussianWindow win) {
        int r = win.radius;
        double[] w = win.weights;
        for (int y = 0; y < ny; y++) {
            int o = off + y * nx;
            int c = y * nx;
            double w0 = w[r];
            for (int x = 0; x < nx; x++) dst[o + x] = w0 * tmp[c + x];
            for (int j = 1; j <= r; j++) {
                double wj = w[r + j];
                int m = GaussianWindow.reflect(y - j, ny) * nx;
                int p = GaussianWindow.reflect(y + j, ny) * nx;
                for (int x = 0; x < nx; x++) dst[o + x] += wj * (tmp[m + x] + tmp[p + x]);
            }
        }
    }

    /**
     * Mean of the map over the interior: voxels at least {@code pad} from every border
     * (scikit-image's {@code crop(S, pad).mean()}), restricted to {@code mask} when it is not null.
     * Returns NaN when no voxel qualifies.
     */
    static double interiorMean(double[] map, int[] dims, int pad, boolean[] mask) {
        int nx = dims[0], ny = dims[1], nz = dims[2];
        double sum = 0;
        long n = 0;
        for (int z = pad; z < nz - pad; z++) {
            double planeSum = 0;
            for (int y = pad; y < ny - pad; y++) {
                int row = (z * ny + y) * nx;
                for (int x = pad; x < nx - pad; x++) {
                    int i = row + x;
                    if (mask == null || mask[i]) {
                        planeSum += map[i];
                        n++;
                    }
                }
            }
            sum += planeSum;
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
