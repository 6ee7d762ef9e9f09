package dev.latent.processor.model;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Padding;

/**
 * One declared layer: a method of the encoder or decoder interface and its annotation. The
 * records hold the values as written (after resolving short and Keras-named aliases); whether
 * they make sense is for the checks to say.
 */
public sealed interface Layer {

    /** The method's name, e.g. {@code conv1}. */
    String method();

    /** Which half the layer belongs to. */
    Section section();

    /** The layer's annotation in the source. */
    SourceRef source();

    /** The annotation's simple name, as Keras names the layer: {@code Conv2D}. */
    String kind();

    /** The layer's name in the network and in messages: {@code encoder.conv1}. */
    default String networkName() {
        return section().prefix() + "." + method();
    }

    /** A layer that applies an activation to its output. */
    sealed interface Activated extends Layer {
        Activation activation();
    }

    /** A max pooling, 1-D or 2-D. */
    sealed interface Pooling extends Layer {
        int size();

        /** 0 means equal to {@link #size()}. */
        int strides();

        default int effectiveStrides() {
            return strides() == 0 ? size() : strides();
        }
    }

    record Dense(String method, Section section, SourceRef source, int units, Activation activation)
            implements Activated {
        public String kind() {
            return "Dense";
        }
    }

    record Conv2D(String method, Section section, SourceRef source, int filters, int kernel, int strides,
            Padding padding, Activation activation, boolean transposed) implements Activated {
        public String kind() {
            return transposed ? "Conv2DTranspose" : "Conv2D";
        }
    }

    record MaxPool2D(String method, Section section, SourceRef source, int size, int strides, Padding padding)
            implements Pooling {
        public String kind() {
            return "MaxPool2D";
        }
    }

    record UpSampling2D(String method, Section section, SourceRef source, int size) implements Layer {
        public String kind() {
            return "UpSampling2D";
        }
    }

    // The 1-D records below deliberately mirror the 2-D ones above, as their annotations do.

    /** A 1-D convolution along a sequence's time axis. */
    record Conv1D(String method, Section section, SourceRef source, int filters, int kernel, int strides,
            Padding padding, Activation activation) implements Activated {
        public String kind() {
            return "Conv1D";
        }
    }

    record MaxPool1D(String method, Section section, SourceRef source, int size, int strides, Padding padding)
            implements Pooling {
        public String kind() {
            return "MaxPool1D";
        }
    }

    record UpSampling1D(String method, Section section, SourceRef source, int size) implements Layer {
        public String kind() {
            return "UpSampling1D";
        }
    }

    record Lstm(String method, Section section, SourceRef source, int units, boolean returnSequences,
            Activation activation) implements Activated {
        public String kind() {
            return "LSTM";
        }
    }

    record Flatten(String method, Section section, SourceRef source) implements Layer {
        public String kind() {
            return "Flatten";
        }
    }

    record Reshape(String method, Section section, SourceRef source, Dims target) implements Layer {
        public String kind() {
            return "Reshape";
        }
    }

    record Dropout(String method, Section section, SourceRef source, double rate) implements Layer {
        public String kind() {
            return "Dropout";
        }
    }

    record BatchNormalization(String method, Section section, SourceRef source, double momentum, double epsilon)
            implements Layer {
        public String kind() {
            return "BatchNormalization";
        }
    }
}
