package dev.latent.processor.check;

import dev.latent.processor.model.ModelSpec;

/** One rule over a model whose shapes are known. Pure: reads the model, adds to the report. */
public interface Check {

    void check(ModelSpec model, InferredModel shapes, Report report);
}
