package dev.latent.dsl;

/** The gradient-descent update rule, with Keras' default hyper-parameters besides the learning rate. */
public enum Optimizer {
    /** Adam: beta1 0.9, beta2 0.999, epsilon 1e-7. */
    ADAM,
    /** Plain stochastic gradient descent, no momentum. */
    SGD,
    /** SGD with Nesterov momentum 0.9. */
    NESTEROVS,
    /** RMSProp: rho 0.9, epsilon 1e-7. */
    RMSPROP
}
