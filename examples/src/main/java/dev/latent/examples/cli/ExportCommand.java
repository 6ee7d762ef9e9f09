package dev.latent.examples.cli;

import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.model.onnx.OnnxExport;
import dev.latent.runtime.settings.GraphPart;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code export MODEL_ZIP --onnx FILE [--part PART]}: a trained model as an ONNX model. */
@Command(name = "export", sortOptions = false,
        description = "Writes a trained model (a model.zip that train wrote) as an ONNX model, for ONNX Runtime "
                + "and other ONNX tools; see docs/onnx.md.")
final class ExportCommand implements Callable<Integer> {
    // Deliberately the same fields in every command: picocli injects the root and mixes in -h per
    // command class, and each command declares its own options so its source reads as its --help.
    @ParentCommand
    LatentCommand root;

    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "MODEL_ZIP", description = "the trained model, e.g. latent-run/model.zip")
    Path model;

    @Option(names = "--onnx", paramLabel = "FILE", required = true, description = "the ONNX file to write")
    Path onnx;

    @Option(names = "--part", paramLabel = "PART", defaultValue = "autoencoder", completionCandidates = Parts.class,
            description = "${COMPLETION-CANDIDATES}: input to reconstruction (default), input to code, or code to "
                    + "reconstruction")
    String part;

    @Override
    public Integer call() {
        GraphPart graphPart = Arrays.stream(GraphPart.values())
                .filter(p -> p.name().toLowerCase(Locale.ROOT).equals(part)).findFirst()
                .orElseThrow(() -> new UsageException("--part takes autoencoder, encoder or decoder, found '" + part + "'"));
        root.configureThreads();
        Denoiser denoiser = Denoiser.load(model);
        denoiser.exportOnnx(onnx, graphPart);
        String input = graphPart == GraphPart.DECODER ? OnnxExport.CODE : OnnxExport.INPUT;
        String output = graphPart == GraphPart.ENCODER ? OnnxExport.CODE : OnnxExport.RECONSTRUCTION;
        root.out.printf(Locale.ROOT, "%s: the %s of %s as ONNX (opset %d), '%s' -> '%s', %s%n", onnx, part,
                denoiser.modelName(), OnnxExport.OPSET, input, output, layout(denoiser));
        if (denoiser.scaling().kind() != dev.latent.runtime.data.Scaling.Kind.IDENTITY) {
            root.out.println("  values in the model's range " + denoiser.range() + ": scale raw data as the metadata's "
                    + "latent.scaling.* say, (value - offset) / scale, and map outputs back (see docs/onnx.md)");
        }
        return 0;
    }

    private static String layout(Denoiser denoiser) {
        if (denoiser.inputShape().isImage()) {
            return "images channels-first [batch, C, H, W]";
        }
        if (denoiser.inputShape().isSequence()) {
            return "sequences features-first [batch, F, T]";
        }
        return "vectors [batch, N]";
    }

    /** The parts' names, for the usage and completion. */
    static final class Parts implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("autoencoder", "encoder", "decoder").iterator();
        }
    }
}
