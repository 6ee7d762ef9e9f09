package dev.latent.peers.libtorch;

import static org.bytedeco.pytorch.global.torch.MemoryFormat.ChannelsLast;

import dev.latent.peers.PeerRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The seed models trained by libtorch 2.10 (PyTorch's C++ library, through JavaCPP's presets),
 * the loop of examples/pytorch/seed_reference.py: per batch, fresh noise with
 * {@code randn_like}, clamped in place; {@code zero_grad}, forward, MSE, {@code backward},
 * Adam's {@code step}; {@code torch::set_num_threads(N)}. Each step's temporaries are freed at
 * its end ({@code PointerScope}) rather than left to the garbage collector. {@code --channels-last}
 * keeps the conv model's images and kernels channels last (oneDNN's preferred layout, Keras' own).
 * Run from the repository root:
 * {@code java -cp 'peers/libtorch/target/classes:peers/libtorch/target/lib/*'
 * dev.latent.peers.libtorch.LibtorchSeedPeer --threads 2}.
 */
public final class LibtorchSeedPeer {
    private static final String PROGRAM = "libtorch-peer";

    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean channelsLast = rest.remove("--channels-last");
        PeerRun run = PeerRun.fromArgs(PROGRAM, rest.toArray(String[]::new));
        torch.set_num_threads(run.threads);
        System.out.printf("libtorch 2.10.0 (JavaCPP presets 1.5.13), %d threads%s%n", run.threads,
                channelsLast ? ", conv model channels last" : "");
        for (String model : run.models) {
            measure(run, model, channelsLast && PeerRun.isConv(model));
        }
    }

    private static void measure(PeerRun run, String model, boolean channelsLast) {
        boolean conv = PeerRun.isConv(model);
        int samples = PeerRun.samples(model);
        torch.manual_seed(42);
        SeedNetwork network = new SeedNetwork(conv, channelsLast);
        TensorVector parameters = new TensorVector(network.parameters().toArray(Tensor[]::new));
        AdamOptions options = new AdamOptions(PeerRun.LEARNING_RATE);
        options.eps().put(PeerRun.EPSILON);
        Adam optimizer = new Adam(parameters, options);
        Tensor digits = images(run.train, samples, conv);
        Scalar sigma = new Scalar(PeerRun.sigma(model));
        ScalarOptional zero = new ScalarOptional(new Scalar(0f));
        ScalarOptional one = new ScalarOptional(new Scalar(1f));
        double[] rates = new double[run.epochs];
        for (int epoch = 0; epoch < run.epochs; epoch++) {
            try (PointerScope epochScope = new PointerScope()) {
                Tensor order = torch.randperm(samples);
                long start = System.nanoTime();
                for (int at = 0; at + PeerRun.BATCH <= samples; at += PeerRun.BATCH) {
                    try (PointerScope stepScope = new PointerScope()) {
                        Tensor clean = digits.index_select(0, order.narrow(0, at, PeerRun.BATCH));
                        if (channelsLast) {
                            clean = clean.contiguous(ChannelsLast);
                        }
                        Tensor noisy = clean.add(torch.randn_like(clean).mul(sigma)).clamp_(zero, one);
                        optimizer.zero_grad(true);
                        Tensor loss = torch.mse_loss(network.forward(noisy), clean);
                        loss.backward();
                        optimizer.step();
                    }
                }
                rates[epoch] = (samples / PeerRun.BATCH * PeerRun.BATCH) / ((System.nanoTime() - start) / 1e9);
            }
        }
        float mse;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            torch.manual_seed(43);
            Tensor test = images(run.test, run.test.length, conv);
            Tensor noisy = test.add(torch.randn_like(test).mul(sigma)).clamp_(zero, one);
            if (channelsLast) {
                noisy = noisy.contiguous(ChannelsLast);
            }
            mse = torch.mse_loss(network.forward(noisy), test).item_float();
        }
        run.report(model, rates, mse);
    }

    /** The first {@code count} images: [count, 784], or [count, 1, 28, 28] for the conv model. */
    private static Tensor images(float[][] rows, int count, boolean conv) {
        float[] flat = new float[count * PeerRun.PIXELS];
        for (int i = 0; i < count; i++) {
            System.arraycopy(rows[i], 0, flat, i * PeerRun.PIXELS, PeerRun.PIXELS);
        }
        long[] shape = conv ? new long[] {count, 1, 28, 28} : new long[] {count, PeerRun.PIXELS};
        try (FloatPointer data = new FloatPointer(flat)) {
            // A copy the tensor owns: from_blob only borrows the pointer's memory.
            return torch.from_blob(data, shape).clone();
        }
    }

    private LibtorchSeedPeer() {}
}
