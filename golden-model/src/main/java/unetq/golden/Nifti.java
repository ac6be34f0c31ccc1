package unetq.golden;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A small NIfTI-1 reader (single-file {@code .nii} or {@code .nii.gz}, 3-D, the common voxel
 * types): enough for the spinal-cord grey-matter volumes. Endianness is detected from
 * {@code sizeof_hdr}; {@code scl_slope}/{@code scl_inter} are applied when set.
 */
public final class Nifti {
    private final int nx;
    private final int ny;
    private final int nz;
    private final float[] voxels;
    private final double[][] affine;

    private Nifti(int nx, int ny, int nz, float[] voxels, double[][] affine) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.voxels = voxels;
        this.affine = affine;
    }

    public static Nifti read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("NIfTI file not found: " + file);
        }
        byte[] raw = Files.readAllBytes(file);
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                raw = in.readAllBytes();
            }
        }
        return parse(raw, file.getFileName().toString());
    }

    static Nifti parse(byte[] raw, String name) throws IOException {
        if (raw.length < 352) {
            throw new IOException(name + ": too short for a NIfTI-1 header (" + raw.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 348) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 348) {
                throw new IOException(name + ": not a NIfTI-1 file (sizeof_hdr is not 348)");
            }
        }
        String magic = new String(raw, 344, 3, java.nio.charset.StandardCharsets.US_ASCII);
        if (!magic.equals("n+1")) {
            throw new IOException(name + ": not a single-file NIfTI-1 image (magic '" + magic + "')");
        }
        int dims = b.getShort(40);
        if (dims < 3 || dims > 4 || (dims == 4 && b.getShort(48) > 1)) {
            throw new IOException(name + ": expected a 3-D volume, got " + dims + " dimensions");
        }
        int nx = b.getShort(42);
        int ny = b.getShort(44);
        int nz = b.getShort(46);
        int type = b.getShort(70);
        int offset = (int) b.getFloat(108);
        float slope = b.getFloat(112);
        float inter = b.getFloat(116);
        boolean scaled = slope != 0 && !Float.isNaN(slope) && !(slope == 1 && inter == 0);
        int bytes = switch (type) {
            case 2, 256 -> 1;
            case 4, 512 -> 2;
            case 8, 16, 768 -> 4;
            case 64 -> 8;
            default -> throw new IOException(name + ": unsupported NIfTI datatype " + type);
        };
        long count = (long) nx * ny * nz;
        if (nx < 1 || ny < 1 || nz < 1 || offset < 348 || offset + count * bytes > raw.length) {
            throw new IOException(name + ": truncated or inconsistent (" + nx + "x" + ny + "x" + nz + " voxels of "
                    + bytes + " bytes from offset " + offset + ", file has " + raw.length + ")");
        }
        float[] v = new float[(int) count];
        for (int i = 0; i < count; i++) {
            int p = offset + i * bytes;
            double x = switch (type) {
                case 2 -> raw[p] & 0xff;
                case 256 -> raw[p];
                case 4 -> b.getShort(p);
                case 512 -> b.getShort(p) & 0xffff;
                case 8 -> b.getInt(p);
                case 768 -> b.getInt(p) & 0xffffffffL;
                case 16 -> b.getFloat(p);
                default -> b.getDouble(p);
            };
            v[i] = (float) (scaled ? x * slope + inter : x);
        }
        return new Nifti(nx, ny, nz, v, affine(b, name));
    }

    /**
     * Voxel to world (RAS+, mm) as the NIfTI-1 standard orders the choices: the sform when its code is
     * set, else the qform (quaternion, qfac from pixdim[0]), else the voxel sizes alone.
     */
    private static double[][] affine(ByteBuffer b, String name) throws IOException {
        double[] pix = new double[4];
        for (int i = 0; i < 4; i++) {
            pix[i] = b.getFloat(76 + 4 * i);
        }
        for (int i = 1; i < 4; i++) {
            if (!(pix[i] > 0) || Double.isInfinite(pix[i])) {
                pix[i] = 1; // the standard's reading of a missing voxel size
            }
        }
        double[][] m = new double[3][4];
        if (b.getShort(254) > 0) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    m[r][c] = b.getFloat(280 + 16 * r + 4 * c);
                }
            }
        } else if (b.getShort(252) > 0) {
            double qb = b.getFloat(256);
            double qc = b.getFloat(260);
            double qd = b.getFloat(264);
            double qa = Math.sqrt(Math.max(0, 1 - qb * qb - qc * qc - qd * qd));
            double qfac = pix[0] < 0 ? -1 : 1;
            double[][] rot = {
                {qa * qa + qb * qb - qc * qc - qd * qd, 2 * (qb * qc - qa * qd), 2 * (qb * qd + qa * qc)},
                {2 * (qb * qc + qa * qd), qa * qa + qc * qc - qb * qb - qd * qd, 2 * (qc * qd - qa * qb)},
                {2 * (qb * qd - qa * qc), 2 * (qc * qd + qa * qb), qa * qa + qd * qd - qc * qc - qb * qb}};
            double[] scale = {pix[1], pix[2], qfac * pix[3]};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    m[r][c] = rot[r][c] * scale[c];
                }
                m[r][3] = b.getFloat(268 + 4 * r);
            }
        } else {
            for (int r = 0; r < 3; r++) {
                m[r][r] = pix[r + 1];
            }
        }
        for (double[] row : m) {
            for (double x : row) {
                if (!Double.isFinite(x)) {
                    throw new IOException(name + ": its voxel-to-world transform is not finite");
                }
            }
        }
        return m;
    }

    /** The voxel-to-world transform, 3 x 4 (RAS+ millimetres): world = A · (i, j, k, 1). A copy. */
    public double[][] affine() {
        double[][] copy = new double[3][];
        for (int r = 0; r < 3; r++) {
            copy[r] = affine[r].clone();
        }
        return copy;
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    /** Voxel (x, y, z); x varies fastest in the file. */
    public float get(int x, int y, int z) {
        return voxels[(z * ny + y) * nx + x];
    }
}
