package dev.latent.peers.tensorflow;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.Conv2dBackpropFilter;
import org.tensorflow.op.nn.Conv2dBackpropInput;
import org.tensorflow.types.TFloat32;

/**
 * The gradient of {@code Conv2DBackpropInput} (a transposed convolution), which TensorFlow
 * defines in Python only: the same two ops Python's {@code _Conv2DBackpropInputGrad} builds.
 */
final class Gradients {
    private Gradients() {}

    @SuppressWarnings("unchecked")
    static void register() {
        TensorFlow.registerCustomGradient(Conv2dBackpropInput.Inputs.class, (tf, op, gradInputs) -> {
            Conv2dBackpropInput.Inputs<TFloat32> in = (Conv2dBackpropInput.Inputs<TFloat32>) op;
            Operand<TFloat32> dy = (Operand<TFloat32>) gradInputs.get(0);
            List<Long> strides = Arrays.stream(in.strides).boxed().toList();
            Operand<TFloat32> filter = tf.nn.conv2dBackpropFilter(dy, tf.shape(in.filter), in.outBackprop, strides,
                    in.padding, Conv2dBackpropFilter.dataFormat(in.dataFormat));
            Operand<TFloat32> outBackprop = tf.nn.conv2d(dy, in.filter, strides, in.padding, Conv2d.dataFormat(in.dataFormat));
            // No gradient for the output's size.
            return java.util.Arrays.asList(null, filter, outBackprop);
        });
    }
}
