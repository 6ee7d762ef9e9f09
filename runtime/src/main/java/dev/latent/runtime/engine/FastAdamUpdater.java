package dev.latent.runtime.engine;

import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * DL4J's Adam, computed on the Java heap. libnd4j's Adam op runs one element at a time (a square
 * root and a division each), and slows down further once moments of parameters whose gradient
 * stays zero (dead units, always-black pixels) decay into subnormal floats: it took 1.3 ms a
 * step on the seed's dense model, 3.8 ms after a few hundred steps, a third of the whole step.
 * The same arithmetic in a plain loop that the JIT vectorises takes about 0.2 ms, copies included.
 *
 * <p>No value in the loop may become subnormal, since each costs a hundred cycles: moments below
 * about 10<sup>-30</sup> are rounded to multiples of 10<sup>-37</sup> (their contribution to an
 * update is below 10<sup>-23</sup>), and gradients to multiples of 1.2 10<sup>-19</sup>, which
 * changes the update only of parameters whose gradients stay below about 10<sup>-15</sup>.
 * Otherwise the update is DL4J's (and Keras') to float rounding.
 *
 * <p>The heap holds the working copy of the moments. The state arrays DL4J sees are
 * written back when someone asks for them ({@link #getState()}, {@link #writeBack(ComputationGraph)}
 * before DL4J saves or copies them), and read back before the next step (a checkpoint being
 * restored writes into them).
 */
final class FastAdamUpdater extends AdamUpdater {
    /**
     * Adding then subtracting this rounds a value to a multiple of its ulp (about 1e-37), so a
     * decaying moment settles at a few such multiples, still a normal float, instead of sinking
     * through the subnormals; larger values pass unchanged.
     */
    private static final float FLUSH = 1e-30f;
    /**
     * Gradients are rounded to multiples of this one's ulp (about 1.2e-19), so that no square of a
     * gradient is subnormal: those took 580 us a step instead of 120 on 210,000 parameters where a
     * fifth of the gradients were under 1e-20.
     */
    private static final float GRADIENT_GRAIN = 1.7e-12f;

    private float[] gradient = new float[0];
    private float[] m = new float[0];
    private float[] v = new float[0];
    private float[] parameterValues = new float[0];
    private boolean momentsOnHeap;
    /** The heap's moments are newer than the state arrays: written back when someone asks for them. */
    private boolean stateArraysBehind;

    FastAdamUpdater(Adam config) {
        super(config);
    }

    /**
     * Replaces every Adam updater of {@code graph}'s layer-API updater with this class, keeping
     * its configuration and state arrays, so the graph trains, saves and loads as before.
     */
    static void install(ComputationGraph graph) {
        for (UpdaterBlock block : graph.getUpdater(true).getUpdaterBlocks()) {
            if (block.getGradientUpdater() instanceof AdamUpdater adam && !(adam instanceof FastAdamUpdater)) {
                FastAdamUpdater fast = new FastAdamUpdater(adam.getConfig());
                fast.setM(adam.getM());
                fast.setV(adam.getV());
                fast.setGradientReshapeOrder(adam.getGradientReshapeOrder());
                block.setGradientUpdater(fast);
            }
        }
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        super.setStateViewArray(viewArray, gradientShape, gradientOrder, initialize);
        momentsOnHeap = false;
        stateArraysBehind = false;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        super.setState(stateMap, initialize);
        momentsOnHeap = false;
        stateArraysBehind = false;
    }

    // Whoever asks for the state arrays gets them current, and may write into them: read them
    // back before the next step.
    @Override
    public Map<String, INDArray> getState() {
        writeBack();
        momentsOnHeap = false;
        return super.getState();
    }

    @Override
    public INDArray getM() {
        writeBack();
        momentsOnHeap = false;
        return super.getM();
    }

    @Override
    public INDArray getV() {
        writeBack();
        momentsOnHeap = false;
        return super.getV();
    }

    /** Brings the state arrays DL4J saves up to the heap's moments. */
    void writeBack() {
        if (stateArraysBehind) {
            pointer(super.getM()).put(m, 0, m.length);
            pointer(super.getV()).put(v, 0, v.length);
            stateArraysBehind = false;
        }
    }

    /**
     * Brings the state arrays of every heap Adam in {@code graph}'s updater up to date, before
     * DL4J reads them directly: when it saves the graph or copies its updater state.
     */
    static void writeBack(ComputationGraph graph) {
        for (UpdaterBlock block : graph.getUpdater(true).getUpdaterBlocks()) {
            if (block.getGradientUpdater() instanceof FastAdamUpdater fast) {
                fast.writeBack();
            }
        }
    }

    @Override
    public void setM(INDArray m) {
        super.setM(m);
        momentsOnHeap = false;
        stateArraysBehind = false;
    }

    @Override
    public void setV(INDArray v) {
        super.setV(v);
        momentsOnHeap = false;
        stateArraysBehind = false;
    }

    @Override
    public void applyUpdater(INDArray gradientArray, int iteration, int epoch) {
        INDArray mArray = super.getM();
        INDArray vArray = super.getV();
        if (mArray == null || vArray == null || !sameDenseLayout(gradientArray, mArray) || !sameDenseLayout(gradientArray, vArray)) {
            writeBack();
            super.applyUpdater(gradientArray, iteration, epoch);
            momentsOnHeap = false;
            return;
        }
        int n = (int) gradientArray.length();
        readMoments(mArray, vArray, n);
        pointer(gradientArray).get(gradient, 0, n);
        step(gradient, m, v, null, n, iteration, epoch);
        pointer(gradientArray).put(gradient, 0, n);
    }

    /**
     * Whether {@link #stepParameters} can take this block's step on {@code gradients} and
     * {@code parameters}: every array dense floats, the state arrays as long as the block.
     */
    boolean stepsParameters(INDArray gradients, INDArray parameters, long start, long end) {
        INDArray mArray = super.getM();
        INDArray vArray = super.getV();
        long length = end - start;
        return mArray != null && vArray != null && denseFloats(gradients) && denseFloats(parameters)
                && denseFloats(mArray) && denseFloats(vArray) && mArray.length() == length && vArray.length() == length
                && start >= 0 && end <= gradients.length() && end <= parameters.length();
    }

    /**
     * Adam's step for the parameters {@code [start, end)} of the network's flat gradient and
     * parameter arrays, subtracted from the parameters here: the same floats as
     * {@link #applyUpdater} then subtracting the update, without writing the update out and
     * reading it back. The gradient array is left as it was. {@link #stepsParameters} must hold.
     *
     * @param l2 the block's L2 terms, added to the gradient first as DL4J's blocks add them
     */
    void stepParameters(INDArray gradients, INDArray parameters, long start, long end, List<L2> l2, int iteration,
            int epoch) {
        int n = (int) (end - start);
        readMoments(super.getM(), super.getV(), n);
        new FloatPointer(pointer(gradients)).position(start).get(gradient, 0, n);
        if (parameterValues.length != n) {
            parameterValues = new float[n];
        }
        // Copies of the arrays' pointers, so that moving them moves nothing ND4J keeps.
        FloatPointer parameterPointer = new FloatPointer(pointer(parameters)).position(start);
        parameterPointer.get(parameterValues, 0, n);
        for (L2 term : l2) {
            addL2(gradient, parameterValues, term.from(), term.to(), term.coefficient());
        }
        step(gradient, m, v, parameterValues, n, iteration, epoch);
        parameterPointer.put(parameterValues, 0, n);
    }

    /**
     * L2 regularisation of the block's values {@code [from, to)}: {@code coefficient} times each
     * parameter added to its gradient before the update, as DL4J's {@code L2Regularization} does.
     */
    record L2(int from, int to, float coefficient) {}

    /** {@code gradient += coefficient * parameters} over {@code [from, to)}, as libnd4j's axpy computes it. */
    private static void addL2(float[] gradient, float[] parameters, int from, int to, float coefficient) {
        for (int i = from; i < to; i++) {
            gradient[i] = coefficient * parameters[i] + gradient[i];
        }
    }

    /** Sizes the heap arrays for {@code n} parameters and reads the moments in, unless the heap has them. */
    private void readMoments(INDArray mArray, INDArray vArray, int n) {
        if (gradient.length != n) {
            gradient = new float[n];
            m = new float[n];
            v = new float[n];
            momentsOnHeap = false;
        }
        if (!momentsOnHeap) {
            pointer(mArray).get(m, 0, n);
            pointer(vArray).get(v, 0, n);
            momentsOnHeap = true;
        }
    }

    /**
     * Adam's step with this updater's configuration at {@code iteration}: the moments move on,
     * then each update is subtracted from {@code parameters}, or, where that is null, written over
     * {@code gradient}. The moments stay on the heap until someone asks for the state arrays.
     */
    private void step(float[] gradient, float[] m, float[] v, float[] parameters, int n, int iteration, int epoch) {
        Adam config = getConfig();
        double beta1 = config.getBeta1();
        double beta2 = config.getBeta2();
        // libnd4j's step size: Adam's bias corrections folded into the learning rate.
        double stepSize = config.getLearningRate(iteration, epoch) * Math.sqrt(1 - Math.pow(beta2, iteration + 1))
                / (1 - Math.pow(beta1, iteration + 1));
        if (Double.isNaN(stepSize) || stepSize == 0) {
            stepSize = config.getEpsilon();
        }
        step(gradient, m, v, parameters, n, (float) beta1, (float) beta2, (float) stepSize, (float) config.getEpsilon());
        stateArraysBehind = true;
    }

    /**
     * Adam's moment updates, each update subtracted from {@code parameters}, or written over
     * {@code gradient} where that is null. A loop the JIT vectorises, and takes out of the loop
     * the test of which.
     */
    private static void step(float[] gradient, float[] m, float[] v, float[] parameters, int n, float beta1, float beta2,
            float stepSize, float epsilon) {
        float keep1 = 1 - beta1;
        float keep2 = 1 - beta2;
        for (int i = 0; i < n; i++) {
            float g = (gradient[i] + GRADIENT_GRAIN) - GRADIENT_GRAIN;
            float mi = (beta1 * m[i] + keep1 * g + FLUSH) - FLUSH;
            float vi = (beta2 * v[i] + keep2 * (g * g) + FLUSH) - FLUSH;
            m[i] = mi;
            v[i] = vi;
            // Divided first: the step size times a settled moment (about 1e-40) would be subnormal.
            float update = mi / ((float) Math.sqrt(vi) + epsilon) * stepSize;
            if (parameters != null) {
                parameters[i] -= update;
            } else {
                gradient[i] = update;
            }
        }
    }

    /** Whether both are float arrays laid out contiguously, element for element the same. */
    private static boolean sameDenseLayout(INDArray a, INDArray b) {
        return a.dataType() == DataType.FLOAT && b.dataType() == DataType.FLOAT
                && a.length() == b.length() && a.length() <= Integer.MAX_VALUE
                && a.elementWiseStride() == 1 && b.elementWiseStride() == 1
                && (a.ordering() == b.ordering() || a.isVector() && b.isVector());
    }

    private static boolean denseFloats(INDArray array) {
        return array.dataType() == DataType.FLOAT && array.elementWiseStride() == 1 && array.length() <= Integer.MAX_VALUE
                && (array.ordering() == 'c' || array.isVector());
    }

    private static FloatPointer pointer(INDArray array) {
        return (FloatPointer) array.data().addressPointer();
    }
}
