/** The node module's entry: what other layers and modules may use. */
