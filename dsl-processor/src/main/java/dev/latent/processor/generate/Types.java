package dev.latent.processor.generate;

import com.palantir.javapoet.ClassName;

/**
 * The classes generated code refers to, by name: the processor itself must not depend on DL4J
 * or on the runtime.
 */
final class Types {
    // A catalogue, one class name a line: the lines are deliberately alike.
    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    static final ClassName LIST = ClassName.get("java.util", "List");

    static final ClassName DATA_RANGE = ClassName.get("dev.latent.dsl", "DataRange");
    static final ClassName LOSS_FUNCTION = ClassName.get("dev.latent.dsl", "LossFunction");
    static final ClassName OPTIMIZER = ClassName.get("dev.latent.dsl", "Optimizer");
    static final ClassName RESAMPLE = ClassName.get("dev.latent.dsl", "Resample");

    private static final String RUNTIME = "dev.latent.runtime";
    static final ClassName AUTOENCODER_NETWORK = ClassName.get(RUNTIME, "AutoencoderNetwork");
    static final ClassName SHAPE = ClassName.get(RUNTIME + ".settings", "Shape");
    static final ClassName LAYER_INFO = ClassName.get(RUNTIME + ".settings", "LayerInfo");
    static final ClassName GRAPH_PART = ClassName.get(RUNTIME + ".settings", "GraphPart");
    static final ClassName GRAPH_CONFIGS = ClassName.get(RUNTIME, "GraphConfigs");
    static final ClassName SEQUENCE_RESHAPE_VERTEX = ClassName.get(RUNTIME + ".engine", "SequenceReshapeVertex");
    static final ClassName TRAINING_SETTINGS = ClassName.get(RUNTIME + ".settings", "TrainingSettings");
    static final ClassName LOSS_SETTINGS = ClassName.get(RUNTIME + ".settings", "LossSettings");
    static final ClassName DENOISING_TRAINER = ClassName.get(RUNTIME + ".train", "DenoisingTrainer");
    static final ClassName NOISE_SETTINGS = ClassName.get(RUNTIME + ".noise", "NoiseSettings");

    private static final String NN = "org.deeplearning4j.nn";
    static final ClassName COMPUTATION_GRAPH = ClassName.get(NN + ".graph", "ComputationGraph");
    static final ClassName GRAPH_CONFIGURATION = ClassName.get(NN + ".conf", "ComputationGraphConfiguration");
    static final ClassName GRAPH_BUILDER = GRAPH_CONFIGURATION.nestedClass("GraphBuilder");
    static final ClassName CONVOLUTION_MODE = ClassName.get(NN + ".conf", "ConvolutionMode");
    static final ClassName INPUT_TYPE = ClassName.get(NN + ".conf.inputs", "InputType");
    static final ClassName DENSE_LAYER = ClassName.get(NN + ".conf.layers", "DenseLayer");
    static final ClassName CONVOLUTION_LAYER = ClassName.get(NN + ".conf.layers", "ConvolutionLayer");
    static final ClassName DECONVOLUTION_2D = ClassName.get(NN + ".conf.layers", "Deconvolution2D");
    static final ClassName SUBSAMPLING_LAYER = ClassName.get(NN + ".conf.layers", "SubsamplingLayer");
    static final ClassName POOLING_TYPE = SUBSAMPLING_LAYER.nestedClass("PoolingType");
    static final ClassName UPSAMPLING_2D = ClassName.get(NN + ".conf.layers", "Upsampling2D");
    static final ClassName CONVOLUTION_1D = ClassName.get(NN + ".conf.layers", "Convolution1DLayer");
    static final ClassName SUBSAMPLING_1D = ClassName.get(NN + ".conf.layers", "Subsampling1DLayer");
    static final ClassName UPSAMPLING_1D = ClassName.get(NN + ".conf.layers", "Upsampling1D");
    static final ClassName LSTM = ClassName.get(NN + ".conf.layers", "LSTM");
    static final ClassName LAST_TIME_STEP = ClassName.get(NN + ".conf.layers.recurrent", "LastTimeStep");
    static final ClassName DROPOUT_LAYER = ClassName.get(NN + ".conf.layers", "DropoutLayer");
    static final ClassName BATCH_NORMALIZATION = ClassName.get(NN + ".conf.layers", "BatchNormalization");
    static final ClassName PREPROCESSOR_VERTEX = ClassName.get(NN + ".conf.graph", "PreprocessorVertex");
    static final ClassName RESHAPE_VERTEX = ClassName.get(NN + ".conf.graph", "ReshapeVertex");
    static final ClassName CNN_TO_FEED_FORWARD = ClassName.get(NN + ".conf.preprocessor", "CnnToFeedForwardPreProcessor");
    static final ClassName FEED_FORWARD_TO_CNN = ClassName.get(NN + ".conf.preprocessor", "FeedForwardToCnnPreProcessor");
    static final ClassName COMPOSABLE_PREPROCESSOR = ClassName.get(NN + ".conf.preprocessor", "ComposableInputPreProcessor");
    static final ClassName ACTIVATION = ClassName.get("org.nd4j.linalg.activations", "Activation");

    private Types() {}
}
