package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's LSTM computed with matrix products ({@link LstmStepProduct}: oneDNN's, else ND4J's) and
 * loops on the heap for the gates: every activation DL4J offers, for one batch size and sequence
 * length. The input's
 * product with {@code W} is one product for all time steps, and so are the three weight and
 * input gradients after the backward loop; only the recurrent product is one per step. DL4J's own
 * layer runs a dozen ND4J ops a time step, each paying its call.
 *
 * <p>Rows of the step-major arrays are (time step, sample); gate columns in DL4J's order: cell
 * input, forget, output, input gate.
 */
final class HeapLstm implements LstmKernel {
    private final LstmParams params;
    private final HeapActivation cellActivation;
    private final HeapActivation gateActivation;
    private final boolean returnSequences;
    private final int n;
    private final int steps;
    private final int inputs;
    private final int units;
    private final int gates;

    // Native arrays for the products.
    private final INDArray stepMajorInput;
    private final INDArray preActivations;
    private final INDArray[] preActivationSteps;
    // Sigmoid gates through libnd4j's vectorised op, one call a step: on the heap, Math.exp took
    // two thirds of the forward pass.
    private final boolean sigmoidGatesNatively;
    private final INDArray[] gatePreActivationSteps;
    private final INDArray gateStep;
    private final FloatPointer gateStepValues;
    private final float[] gateStepHeap;
    private final INDArray hidden;
    private final INDArray[] hiddenBeforeStep;
    private final INDArray hiddenBeforeEveryStep;
    private final INDArray output;
    private final INDArray deltas;
    private final INDArray[] deltaSteps;
    private final INDArray recurrentGradient;
    private final LstmStepProduct inputProduct;
    private final LstmStepProduct recurrentProduct;
    private final LstmStepProduct recurrentGradientProduct;
    private final LstmStepProduct inputWeightGradientProduct;
    private final LstmStepProduct recurrentWeightGradientProduct;
    private final LstmStepProduct inputGradientProduct;
    private final INDArray biasSums;
    private INDArray stepMajorInputGradient;
    private INDArray inputGradient;
    private final FloatPointer preActivationValues;
    private final FloatPointer hiddenValues;
    private final FloatPointer deltaValues;
    private final FloatPointer recurrentGradientValues;

    // Heap copies of what the backward pass reads, step-major.
    private final float[] preActivationsHeap;
    private final float[] activated;
    private final float[] cells;
    private final float[] cellOutputs;
    private final float[] hiddenStep;
    private final float[] outputHeap;
    private final float[] deltaStep;
    private final float[] recurrentStep;
    private final float[] cellGradient;
    private final float[] biasGradientHeap;
    // An input or input gradient, [n, F, T] and step-major [T, n, F].
    private final float[] sampleMajorHeap;
    private final float[] stepMajorHeap;
    private float[] outputGradientHeap;

    HeapLstm(LstmParams params, HeapActivation cellActivation, HeapActivation gateActivation, boolean returnSequences,
            int n, int steps) {
        this.params = params;
        this.cellActivation = cellActivation;
        this.gateActivation = gateActivation;
        this.returnSequences = returnSequences;
        this.n = n;
        this.steps = steps;
        this.inputs = (int) params.inputs();
        this.units = (int) params.units();
        this.gates = 4 * units;
        stepMajorInput = buffer((long) steps * n, inputs);
        preActivations = buffer((long) steps * n, gates);
        hidden = buffer((long) (steps + 1) * n, units);
        deltas = buffer((long) steps * n, gates);
        preActivationSteps = new INDArray[steps];
        hiddenBeforeStep = new INDArray[steps];
        deltaSteps = new INDArray[steps];
        for (int t = 0; t < steps; t++) {
            preActivationSteps[t] = rows(preActivations, t);
            hiddenBeforeStep[t] = rows(hidden, t);
            deltaSteps[t] = rows(deltas, t);
        }
        hiddenBeforeEveryStep = hidden.get(NDArrayIndex.interval(0, (long) steps * n), NDArrayIndex.all());
        output = returnSequences ? buffer(n, units, steps) : buffer(n, units);
        sigmoidGatesNatively = gateActivation.kind() == HeapActivation.Kind.SIGMOID;
        gatePreActivationSteps = new INDArray[steps];
        for (int t = 0; t < steps; t++) {
            gatePreActivationSteps[t] = preActivationSteps[t].get(NDArrayIndex.all(),
                    NDArrayIndex.interval(units, gates));
        }
        gateStep = buffer(n, 3L * units);
        gateStepValues = pointer(gateStep);
        gateStepHeap = new float[n * 3 * units];
        recurrentGradient = buffer(n, units);
        long rows = (long) steps * n;
        inputProduct = new LstmStepProduct(rows, inputs, gates, false, true, false);
        recurrentProduct = new LstmStepProduct(n, units, gates, false, true, true);
        recurrentGradientProduct = new LstmStepProduct(n, gates, units, false, false, false);
        // The weight gradients as their transposes, [4 units, in] row-major: DL4J's column-major views.
        inputWeightGradientProduct = new LstmStepProduct(gates, rows, inputs, true, false, false);
        recurrentWeightGradientProduct = new LstmStepProduct(gates, rows, units, true, false, false);
        inputGradientProduct = new LstmStepProduct(rows, gates, inputs, false, false, false);
        biasSums = buffer(params.biasGradient().shape());
        preActivationValues = pointer(preActivations);
        hiddenValues = pointer(hidden);
        deltaValues = pointer(deltas);
        recurrentGradientValues = pointer(recurrentGradient);
        preActivationsHeap = new float[steps * n * gates];
        activated = new float[steps * n * gates];
        cells = new float[steps * n * units];
        cellOutputs = new float[steps * n * units];
        hiddenStep = new float[n * units];
        outputHeap = new float[(int) output.length()];
        deltaStep = new float[n * gates];
        recurrentStep = new float[n * units];
        cellGradient = new float[n * units];
        biasGradientHeap = new float[gates];
        sampleMajorHeap = new float[n * inputs * steps];
        stepMajorHeap = new float[n * inputs * steps];
    }

    private INDArray rows(INDArray array, int step) {
        return array.get(NDArrayIndex.interval((long) step * n, (long) (step + 1) * n), NDArrayIndex.all());
    }

    private static FloatPointer pointer(INDArray array) {
        return new FloatPointer(array.data().addressPointer());
    }

    @Override
    public INDArray forward(INDArray input) {
        readStepMajor(input);
        inputProduct.multiply(stepMajorInput, params.inputWeights(), preActivations);
        preActivations.addiRowVector(params.bias().reshape(1, gates));
        int stepValues = n * gates;
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                recurrentProduct.multiply(hiddenBeforeStep[t], params.recurrentWeights(), preActivationSteps[t]);
            }
            preActivationValues.position((long) t * stepValues).get(preActivationsHeap, t * stepValues, stepValues);
            if (sigmoidGatesNatively) {
                Nd4j.exec(new Sigmoid(gatePreActivationSteps[t], gateStep));
                gateStepValues.position(0).get(gateStepHeap, 0, gateStepHeap.length);
            }
            for (int b = 0; b < n; b++) {
                step(t, b);
            }
            hiddenValues.position((long) (t + 1) * n * units).put(hiddenStep, 0, n * units);
            if (returnSequences) {
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < units; j++) {
                        outputHeap[(b * units + j) * steps + t] = hiddenStep[b * units + j];
                    }
                }
            }
        }
        if (!returnSequences) {
            System.arraycopy(hiddenStep, 0, outputHeap, 0, n * units);
        }
        pointer(output).put(outputHeap, 0, outputHeap.length);
        return output;
    }

    /** One sample's gates, cell and hidden state at step {@code t}. */
    private void step(int t, int b) {
        int z = (t * n + b) * gates;
        cellActivation.apply(preActivationsHeap, z, activated, z, units);
        if (sigmoidGatesNatively) {
            System.arraycopy(gateStepHeap, b * 3 * units, activated, z + units, 3 * units);
        } else {
            gateActivation.apply(preActivationsHeap, z + units, activated, z + units, 3 * units);
        }
        int cell = (t * n + b) * units;
        int previous = cell - n * units;
        for (int j = 0; j < units; j++) {
            float carried = t > 0 ? activated[z + units + j] * cells[previous + j] : 0f;
            cells[cell + j] = carried + activated[z + 3 * units + j] * activated[z + j];
        }
        cellActivation.apply(cells, cell, cellOutputs, cell, units);
        for (int j = 0; j < units; j++) {
            hiddenStep[b * units + j] = activated[z + 2 * units + j] * cellOutputs[cell + j];
        }
    }

    /** {@code input} [n, F, T] into the rows (step, sample) of {@link #stepMajorInput}. */
    private void readStepMajor(INDArray input) {
        pointer(dense(input)).get(sampleMajorHeap, 0, sampleMajorHeap.length);
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < inputs; f++) {
                int from = (b * inputs + f) * steps;
                for (int t = 0; t < steps; t++) {
                    stepMajorHeap[(t * n + b) * inputs + f] = sampleMajorHeap[from + t];
                }
            }
        }
        pointer(stepMajorInput).put(stepMajorHeap, 0, stepMajorHeap.length);
    }

    private static INDArray dense(INDArray array) {
        boolean plain = array.ordering() == 'c' && array.offset() == 0 && array.elementWiseStride() == 1
                && array.data().length() == array.length();
        return plain ? array : array.dup('c');
    }

    @Override
    public INDArray backward(INDArray outputGradient, boolean needInputGradient) {
        if (outputGradientHeap == null) {
            outputGradientHeap = new float[outputHeap.length];
        }
        pointer(dense(outputGradient)).get(outputGradientHeap, 0, outputGradientHeap.length);
        java.util.Arrays.fill(cellGradient, 0f);
        java.util.Arrays.fill(biasGradientHeap, 0f);
        for (int t = steps - 1; t >= 0; t--) {
            boolean last = t == steps - 1;
            if (!last) {
                recurrentGradientProduct.multiply(deltaSteps[t + 1], params.recurrentWeights().transpose(), recurrentGradient);
                recurrentGradientValues.position(0).get(recurrentStep, 0, n * units);
            }
            for (int b = 0; b < n; b++) {
                backStep(t, b, last);
            }
            deltaValues.position((long) t * n * gates).put(deltaStep, 0, n * gates);
        }
        inputWeightGradientProduct.multiply(deltas.transpose(), stepMajorInput, params.inputWeightGradient().transpose());
        recurrentWeightGradientProduct.multiply(deltas.transpose(), hiddenBeforeEveryStep,
                params.recurrentWeightGradient().transpose());
        pointer(biasSums).put(biasGradientHeap, 0, gates);
        params.biasGradient().assign(biasSums);
        return needInputGradient ? inputGradient() : null;
    }

    /** One sample's pre-activation gradients at step {@code t}, into {@link #deltaStep}. */
    private void backStep(int t, int b, boolean last) {
        int z = (t * n + b) * gates;
        int cell = (t * n + b) * units;
        int previous = cell - n * units;
        int d = b * gates;
        for (int j = 0; j < units; j++) {
            int unit = b * units + j;
            float hiddenGradient = returnSequences ? outputGradientHeap[unit * steps + t] : last ? outputGradientHeap[unit] : 0f;
            if (!last) {
                hiddenGradient += recurrentStep[unit];
            }
            float cellInput = activated[z + j];
            float forget = activated[z + units + j];
            float out = activated[z + 2 * units + j];
            float inputGate = activated[z + 3 * units + j];
            float cellOutput = cellOutputs[cell + j];
            // The forget gate of step t + 1 is already in cellGradient, carried from there.
            float cellDelta = hiddenGradient * out * cellActivation.derivative(cells[cell + j], cellOutput) + cellGradient[unit];
            float cellBefore = t > 0 ? cells[previous + j] : 0f;
            float deltaCellInput = cellDelta * inputGate * cellActivation.derivative(preActivationsHeap[z + j], cellInput);
            float deltaForget = cellDelta * cellBefore * gateActivation.derivative(preActivationsHeap[z + units + j], forget);
            float deltaOut = hiddenGradient * cellOutput * gateActivation.derivative(preActivationsHeap[z + 2 * units + j], out);
            float deltaInputGate = cellDelta * cellInput
                    * gateActivation.derivative(preActivationsHeap[z + 3 * units + j], inputGate);
            cellGradient[unit] = cellDelta * forget;
            deltaStep[d + j] = deltaCellInput;
            deltaStep[d + units + j] = deltaForget;
            deltaStep[d + 2 * units + j] = deltaOut;
            deltaStep[d + 3 * units + j] = deltaInputGate;
            biasGradientHeap[j] += deltaCellInput;
            biasGradientHeap[units + j] += deltaForget;
            biasGradientHeap[2 * units + j] += deltaOut;
            biasGradientHeap[3 * units + j] += deltaInputGate;
        }
    }

    /** The gradient at the input, [n, F, T], from the deltas of every step. */
    private INDArray inputGradient() {
        if (inputGradient == null) {
            stepMajorInputGradient = buffer((long) steps * n, inputs);
            inputGradient = buffer(n, inputs, steps);
        }
        inputGradientProduct.multiply(deltas, params.inputWeights().transpose(), stepMajorInputGradient);
        pointer(stepMajorInputGradient).get(stepMajorHeap, 0, stepMajorHeap.length);
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < inputs; f++) {
                int to = (b * inputs + f) * steps;
                for (int t = 0; t < steps; t++) {
                    sampleMajorHeap[to + t] = stepMajorHeap[(t * n + b) * inputs + f];
                }
            }
        }
        pointer(inputGradient).put(sampleMajorHeap, 0, sampleMajorHeap.length);
        return inputGradient;
    }
}
