package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;
import static dev.latent.runtime.engine.StageSupport.reshaped;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BiasAdd;
import org.nd4j.linalg.factory.Nd4j;

final class DenseStage extends WeightedStage {
    private final LayerParams params;
    private final INDArray bias;
    private final INDArray biasGradientRow;
    private INDArray input;
    private INDArray preActivation;
    private INDArray inputGradient;
    private INDArray ones;
    private OneDnnMatmul forwardProduct;
    private OneDnnMatmul weightGradientProduct;
    private OneDnnMatmul biasGradientProduct;
    private OneDnnMatmul inputGradientProduct;
    // The activation inside oneDNN's product (a post-op) and its derivative from the output,
    // instead of libnd4j ops: each costs 10 to 30 us on these small arrays.
    private final boolean activationInside;
    private OneDnnContext context;
    private OneDnnContext.Primitive activationGradient;
    private INDArray preActivationGradient;

    DenseStage(LayerParams params, IActivation activation, boolean oneDnn) {
        super(activation, oneDnn);
        this.params = params;
        this.bias = params.bias().reshape(params.bias().length());
        this.biasGradientRow = params.biasGradient().reshape('c', 1, params.biasGradient().length());
        this.activationInside = oneDnn && OneDnn.computes(activation);
    }

    /** The activated output: through oneDNN with the activation as a post-op where it computes it. */
    @Override
    public Tensor forward(Tensor in, boolean training) {
        if (!activationInside) {
            return super.forward(in, training);
        }
        prepare(in.plain());
        forwardProduct.multiply(input, params.weights(), params.bias(), preActivation);
        return Tensor.plain(preActivation);
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        if (!activationInside) {
            return super.backward(outputGradient, needInputGradient);
        }
        if (activationGradient == null) {
            return backwardFromPreActivation(outputGradient, needInputGradient);
        }
        // preActivation holds the activated output here, which is what the derivative reads.
        activationGradient.run(preActivation, reshaped(outputGradient.plain(), preActivation.shape()),
                preActivationGradient);
        context.await();
        return backwardFromPreActivation(Tensor.plain(preActivationGradient), needInputGradient);
    }

    /** Takes {@code in} as the input, as rows, and makes the arrays and products for its batch size once. */
    private void prepare(INDArray in) {
        long n = in.size(0);
        input = in.rank() == 2 ? in : in.reshape('c', n, in.length() / n);
        if (preActivation == null || preActivation.size(0) != n) {
            long inputs = params.weights().size(0);
            long outputs = params.weights().size(1);
            preActivation = buffer(n, outputs);
            inputGradient = buffer(n, inputs);
            ones = Nd4j.ones(DataType.FLOAT, 1, n);
            if (usesOneDnn()) {
                // DL4J's weights and their gradient are column-major [in, out]: row-major [out, in].
                forwardProduct = new OneDnnMatmul(n, inputs, outputs, false, true, true,
                        activationInside ? activation().function() : null);
                weightGradientProduct = new OneDnnMatmul(outputs, n, inputs, true, false, false);
                biasGradientProduct = new OneDnnMatmul(1, n, outputs, false, false, false);
                inputGradientProduct = new OneDnnMatmul(n, outputs, inputs, false, false, false);
            }
            if (activationInside && OneDnn.eltwise(activation().function()) != null) {
                context = new OneDnnContext();
                activationGradient = context.activationGradient(activation().function(),
                        OneDnnContext.plain(preActivation.shape()));
                preActivationGradient = buffer(n, outputs);
            }
        }
    }

    @Override
    INDArray linear(INDArray in) {
        prepare(in);
        if (forwardProduct != null) {
            forwardProduct.multiply(input, params.weights(), params.bias(), preActivation);
            return preActivation;
        }
        Nd4j.gemm(input, params.weights(), preActivation, false, false, 1.0, 0.0);
        // libnd4j's bias op: 13 us on [64, 128] against 24 for a broadcast row addition.
        Nd4j.exec(new BiasAdd(preActivation, bias, preActivation, false));
        return preActivation;
    }

    @Override
    Tensor backwardFromPreActivation(Tensor gradient, boolean needInputGradient) {
        INDArray delta = reshaped(gradient.plain(), preActivation.shape());
        if (forwardProduct != null) {
            // The weight gradient's transpose, delta^T x, is its column-major [in, out] layout.
            weightGradientProduct.multiply(delta, input, null, params.weightGradient());
            biasGradientProduct.multiply(ones, delta, null, biasGradientRow);
            if (!needInputGradient) {
                return null;
            }
            inputGradientProduct.multiply(delta, params.weights(), null, inputGradient);
            return Tensor.plain(inputGradient);
        }
        Nd4j.gemm(input, delta, params.weightGradient(), true, false, 1.0, 0.0);
        // The column sums as a product with ones: one BLAS call instead of a reduction op.
        Nd4j.gemm(ones, delta, biasGradientRow, false, false, 1.0, 0.0);
        if (!needInputGradient) {
            return null;
        }
        Nd4j.gemm(delta, params.weights(), inputGradient, false, true, 1.0, 0.0);
        return Tensor.plain(inputGradient);
    }
}
