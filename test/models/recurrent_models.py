"""Keras recurrent models (issue: control flow and recurrent models), each written twice like
keras_models.py's: <name>_tf_save (tf_keras, tf.saved_model.save) and <name>_export (Keras 3
model.export), with the same seeded weights.

Models (sequence length T = 12, batch 20 of standard-normal sequences; explicit layer names keep
the variable keys stable):
  lstm            LSTM(16) on [T, 8], last output only
  lstm_seq        LSTM(16, return_sequences=True) on [T, 8]
  lstm_unroll     LSTM(16, unroll=True) on [T, 8] (no loop: the steps are unrolled by Keras)
  lstm_stacked    LSTM(16, return_sequences=True) -> LSTM(12) on [T, 8]
  bilstm          Bidirectional(LSTM(10, return_sequences=True)) -> Dense(4) on [T, 8]
  gru             GRU(16) (reset_after=True, Keras' default) on [T, 8]
  gru_v1          GRU(16, reset_after=False) on [T, 8]
  gru_seq         GRU(16, return_sequences=True) on [T, 8]
  simple_rnn      SimpleRNN(16) on [T, 8]
  conv1d_lstm     a sensor model: [T, 3] -> Conv1D(8, 3, relu) -> LSTM(16) -> Dense(5, softmax)

Keras writes the time loop as a While (StatelessWhile) over TensorList ops (TensorListReserve,
TensorListFromTensor, TensorListGetItem/SetItem, TensorListStack); these are the models the
importer's control-flow support is measured on.
"""

import numpy as np

import keras_models as km

SEED = 11
T = 12
BATCH = 20


def _rnn(layers_fn, features=8):
    def factory(k):
        inputs = k.Input(shape=(T, features), name="sequence")
        outputs = layers_fn(k, inputs)
        return k.Model(inputs, outputs)
    return factory


def _inputs(seed, features=8):
    return np.random.default_rng(seed).standard_normal((BATCH, T, features)).astype(np.float32)


def _sensor(k, x):
    h = k.layers.Conv1D(8, 3, activation="relu", name="conv")(x)
    h = k.layers.LSTM(16, name="lstm")(h)
    return k.layers.Dense(5, activation="softmax", name="probabilities")(h)


SPECS = {
    "lstm": _rnn(lambda k, x: k.layers.LSTM(16, name="lstm")(x)),
    "lstm_seq": _rnn(lambda k, x: k.layers.LSTM(16, return_sequences=True, name="lstm")(x)),
    "lstm_unroll": _rnn(lambda k, x: k.layers.LSTM(16, unroll=True, name="lstm")(x)),
    "lstm_stacked": _rnn(lambda k, x: k.layers.LSTM(12, name="lstm_2")(
        k.layers.LSTM(16, return_sequences=True, name="lstm_1")(x))),
    "bilstm": _rnn(lambda k, x: k.layers.Dense(4, name="dense")(
        k.layers.Bidirectional(k.layers.LSTM(10, return_sequences=True, name="lstm"),
                               name="bidirectional")(x))),
    "gru": _rnn(lambda k, x: k.layers.GRU(16, name="gru")(x)),
    "gru_v1": _rnn(lambda k, x: k.layers.GRU(16, reset_after=False, name="gru")(x)),
    "gru_seq": _rnn(lambda k, x: k.layers.GRU(16, return_sequences=True, name="gru")(x)),
    "simple_rnn": _rnn(lambda k, x: k.layers.SimpleRNN(16, name="rnn")(x)),
    "conv1d_lstm": _rnn(_sensor, features=3),
}


def _builder(name, factory):
    features = 3 if name == "conv1d_lstm" else 8

    def build(out):
        return km.save_pair(out, name, factory, inputs=_inputs((SEED, 1), features), seed=SEED,
                            reference_inputs=f"{BATCH} sequences of {T} steps, standard normal")
    build.__name__ = "build_" + name
    return build


MODELS = [_builder(name, factory) for name, factory in SPECS.items()]
