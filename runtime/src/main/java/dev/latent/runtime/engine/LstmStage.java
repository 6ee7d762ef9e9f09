package dev.latent.runtime.engine;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code LSTM} layer (no peepholes) on sequences [n, F, T], returning every step's hidden
 * state [n, units, T] or, as DL4J's {@code LastTimeStep} wrapper does, the last one [n, units];
 * backward through all time steps, as DL4J's default {@code BackpropType.Standard}. oneDNN's LSTM
 * primitive runs it where it computes the layer ({@link #oneDnnRefusal}), else matrix products
 * (oneDNN's where it loads, else ND4J's) with the gates on the heap ({@link HeapLstm}), for every
 * activation.
 */
final class LstmStage implements Stage {
    private final LstmParams params;
    private final HeapActivation cellActivation;
    private final HeapActivation gateActivation;
    private final boolean returnSequences;
    private final boolean oneDnn;
    private LstmKernel kernel;
    private long kernelBatch;
    private long kernelSteps;

    /**
     * @param trained the graph's layer: the LSTM itself, or the {@code LastTimeStep} around it
     * @param conf the LSTM's configuration ({@code LastTimeStep.getUnderlying()} for a wrapped one);
     *     {@link #refusal} must be null
     * @param returnSequences false for a {@code LastTimeStep}-wrapped LSTM
     * @param oneDnn run on oneDNN's LSTM primitive; {@link #oneDnnRefusal} must be null
     */
    LstmStage(Layer trained, LSTM conf, boolean returnSequences, boolean oneDnn) {
        String refused = oneDnn ? oneDnnRefusal(conf) : refusal(conf);
        if (refused != null) {
            throw new IllegalArgumentException("LSTM " + conf.getLayerName() + ": " + refused);
        }
        this.params = LstmParams.of(trained);
        this.cellActivation = HeapActivation.of(conf.getActivationFn());
        this.gateActivation = HeapActivation.of(conf.getGateActivationFn());
        this.returnSequences = returnSequences;
        this.oneDnn = oneDnn;
    }

    /** Why this stage cannot compute {@code conf} at all, or null when it can. */
    static String refusal(LSTM conf) {
        if (conf.getIDropout() != null) {
            return "dropout on the LSTM's input is not computed by the engine's LSTM";
        }
        if (conf.getWeightNoise() != null) {
            return "weight noise is not computed by the engine's LSTM";
        }
        IActivation activation = conf.getActivationFn();
        if (HeapActivation.of(activation) == null) {
            return "activation " + activation + " is not one the engine's LSTM computes";
        }
        IActivation gate = conf.getGateActivationFn();
        if (HeapActivation.of(gate) == null) {
            return "gate activation " + gate + " is not one the engine's LSTM computes";
        }
        return null;
    }

    /**
     * Why oneDNN's LSTM primitive cannot compute {@code conf}, or null when it can: it has tanh for
     * the cell and sigmoid gates built in.
     */
    static String oneDnnRefusal(LSTM conf) {
        String refused = refusal(conf);
        if (refused != null) {
            return refused;
        }
        if (!OneDnn.available()) {
            return "oneDNN's natives do not load here (or -Dlatent.onednn.off=true)";
        }
        if (!(conf.getActivationFn() instanceof ActivationTanH)) {
            return "activation " + conf.getActivationFn() + ", oneDNN's LSTM computes tanh only";
        }
        if (!(conf.getGateActivationFn() instanceof ActivationSigmoid)) {
            return "gate activation " + conf.getGateActivationFn() + ", oneDNN's LSTM has sigmoid gates only";
        }
        return null;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        INDArray values = input.plain();
        long n = values.size(0);
        long features = params.inputs();
        long steps = values.length() / (n * features);
        if (steps * n * features != values.length()) {
            throw new IllegalArgumentException("LSTM: input of shape " + java.util.Arrays.toString(values.shape())
                    + " is not " + features + " features a time step");
        }
        return Tensor.plain(kernel(n, steps).forward(values.reshape('c', n, features, steps)));
    }

    private LstmKernel kernel(long n, long steps) {
        if (kernel == null || kernelBatch != n || kernelSteps != steps) {
            kernel = oneDnn
                    ? new OneDnnLstm(params, returnSequences, (int) n, (int) steps)
                    : new HeapLstm(params, cellActivation, gateActivation, returnSequences, (int) n, (int) steps);
            kernelBatch = n;
            kernelSteps = steps;
        }
        return kernel;
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        long[] shape = returnSequences ? new long[] {kernelBatch, params.units(), kernelSteps}
                : new long[] {kernelBatch, params.units()};
        INDArray gradient = kernel.backward(outputGradient.plain().reshape('c', shape), needInputGradient);
        return gradient == null ? null : Tensor.plain(gradient);
    }

}
