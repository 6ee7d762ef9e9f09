/**
 * A trained model as ONNX: {@link dev.latent.runtime.model.onnx.OnnxExport} writes the network the
 * engine lowers, op by op, with ONNX's own protobuf classes (as nd4j-api carries them), and
 * refuses with one {@link dev.latent.runtime.model.onnx.OnnxExportException} line, naming the
 * layer, whatever it cannot express exactly.
 */
package dev.latent.runtime.model.onnx;
