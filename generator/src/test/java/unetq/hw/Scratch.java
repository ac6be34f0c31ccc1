package unetq.hw;

import java.nio.file.Path;
import java.util.Random;
import unetq.golden.*;

public class Scratch {
    public static void main(String[] args) {
        Random rnd = new Random(1);
        int cin = 3, cout = 4;
        long[] w = new long[cout * cin * 9];
        for (int i = 0; i < w.length; i++) w[i] = rnd.nextInt(33) - 16;
        long[] b = {3, -5, 7, 0}, m = {20, -13, 40, 1}, o = {100, 0, -50, 3};
        ConvLayer conv = new ConvLayer("conv0", new unetq.golden.ConvLayer("c", new ConvWeights(cout, cin, 3, w),
                QFormat.weights(4), QFormat.activations(6), new unetq.golden.Requantizer(b, m, o, 6, true, QFormat.activations(6))),
                5, 7, new Folding(2, 3));
        DesignWriter.write(Path.of(args[0]), DesignWriter.files(conv), true);
        MacArray mac = MacArray.forFormats("mac_array", 4, 4, QFormat.activations(6), QFormat.weights(4), 9);
        DesignWriter.write(Path.of(args[1]), DesignWriter.files(mac), true);
    }
}
