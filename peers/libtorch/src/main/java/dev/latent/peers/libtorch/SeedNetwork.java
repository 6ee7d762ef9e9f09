package dev.latent.peers.libtorch;

import static org.bytedeco.pytorch.global.torch.MemoryFormat.ChannelsLast;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * The seed's two networks as libtorch's functional ops on parameter tensors, the layers of
 * seed_reference.py's {@code nn.Sequential}s (the same ops {@code nn.Linear}, {@code nn.Conv2d}
 * and {@code nn.ConvTranspose2d} call), with PyTorch's default initialisation: uniform within
 * 1/sqrt(fan in) for weights and biases.
 */
final class SeedNetwork {
    private static final long[] ONE = {1, 1};
    private static final long[] TWO = {2, 2};
    private static final long[] NO_PADDING = {0, 0};

    private final boolean conv;
    private final boolean channelsLast;
    private final List<Tensor> weights = new ArrayList<>();
    private final List<TensorOptional> biases = new ArrayList<>();
    private final List<Tensor> parameters = new ArrayList<>();

    SeedNetwork(boolean conv, boolean channelsLast) {
        this.conv = conv;
        this.channelsLast = channelsLast;
        if (conv) {
            add(new long[] {32, 1, 3, 3}, 32);
            add(new long[] {64, 32, 3, 3}, 64);
            add(new long[] {128, 3136}, 128);
            add(new long[] {64, 128}, 64);
            add(new long[] {128, 64}, 128);
            add(new long[] {3136, 128}, 3136);
            // A transposed convolution's weight is [in, out, h, w].
            add(new long[] {64, 64, 3, 3}, 64);
            add(new long[] {64, 32, 3, 3}, 32);
            add(new long[] {1, 32, 3, 3}, 1);
        } else {
            add(new long[] {128, 784}, 128);
            add(new long[] {32, 128}, 32);
            add(new long[] {128, 32}, 128);
            add(new long[] {784, 128}, 784);
        }
    }

    List<Tensor> parameters() {
        return parameters;
    }

    Tensor forward(Tensor x) {
        if (!conv) {
            Tensor h = x;
            for (int i = 0; i < 4; i++) {
                h = torch.linear(h, weights.get(i), biases.get(i));
                h = i < 3 ? h.relu() : h.sigmoid();
            }
            return h;
        }
        long batch = x.size(0);
        Tensor h = pool(torch.conv2d(x, weights.get(0), biases.get(0), ONE, ONE, ONE, 1).relu());
        h = pool(torch.conv2d(h, weights.get(1), biases.get(1), ONE, ONE, ONE, 1).relu());
        h = h.reshape(batch, 3136);
        for (int i = 2; i < 6; i++) {
            h = torch.linear(h, weights.get(i), biases.get(i)).relu();
        }
        h = h.reshape(batch, 64, 7, 7);
        if (channelsLast) {
            h = h.contiguous(ChannelsLast);
        }
        // Padding 1 and output padding 1: Keras' 'same' for a 3x3 kernel of stride 2.
        h = torch.conv_transpose2d(h, weights.get(6), biases.get(6), TWO, ONE, ONE, 1, ONE).relu();
        h = torch.conv_transpose2d(h, weights.get(7), biases.get(7), TWO, ONE, ONE, 1, ONE).relu();
        return torch.conv2d(h, weights.get(8), biases.get(8), ONE, ONE, ONE, 1).sigmoid();
    }

    private static Tensor pool(Tensor x) {
        return torch.max_pool2d(x, TWO, TWO, NO_PADDING, ONE, false);
    }

    private void add(long[] weightShape, long biasSize) {
        long fanIn = weightShape[1];
        for (int d = 2; d < weightShape.length; d++) {
            fanIn *= weightShape[d];
        }
        double bound = 1 / Math.sqrt(fanIn);
        Tensor weight = torch.empty(weightShape).uniform_(-bound, bound, new org.bytedeco.pytorch.GeneratorOptional());
        if (channelsLast && weightShape.length == 4) {
            weight = weight.contiguous(ChannelsLast);
        }
        weight.requires_grad_(true);
        Tensor bias = torch.empty(biasSize).uniform_(-bound, bound, new org.bytedeco.pytorch.GeneratorOptional());
        bias.requires_grad_(true);
        weights.add(weight);
        biases.add(new TensorOptional(bias));
        parameters.add(weight);
        parameters.add(bias);
    }
}
