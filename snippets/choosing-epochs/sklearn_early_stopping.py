"""scikit-learn's early stopping: early_stopping=True.

With `early_stopping=True`, `fit` sets aside `validation_fraction` of the data
it is given as a validation set, and after every epoch scores the network on it
(R², where higher is better). Training stops once the score has failed to beat the
best score so far by at least `tol` for more than `n_iter_no_change`
consecutive epochs, and the weights from the epoch with the best score are put
back. The test set is used once, at the end.
"""

# %%
# Training data (scikit-learn splits off its own validation set) and test set
# ---------------------------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

MAX_EPOCHS = 300
VALIDATION_FRACTION = 0.25
N_ITER_NO_CHANGE = 10
TOL = 1e-4
SEED = 42  # the initial weights, and the order of the batches and the validation set

X, y = load_diabetes(return_X_y=True)
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
scaler = StandardScaler().fit(X_rest)
X_rest, X_test = scaler.transform(X_rest), scaler.transform(X_test)

# %%
# Fit with early stopping
# -----------------------
model = MLPRegressor(
    hidden_layer_sizes=(128,),
    learning_rate_init=0.01,
    max_iter=MAX_EPOCHS,
    early_stopping=True,
    validation_fraction=VALIDATION_FRACTION,
    n_iter_no_change=N_ITER_NO_CHANGE,
    tol=TOL,
    random_state=SEED,
)
model.fit(X_rest, y_rest)

# %%
# When it stopped, which epoch it kept, and the test loss
# -------------------------------------------------------
val_score = np.array(model.validation_scores_)
stop_epoch = model.n_iter_
best_epoch = int(np.argmax(val_score)) + 1
test_loss = np.mean((model.predict(X_test) - y_test) ** 2)
epochs_negative = int(np.argmax(val_score >= 0))  # R² < 0 before the first R² >= 0
print(f"- Epochs trained: {stop_epoch} (`n_iter_no_change={N_ITER_NO_CHANGE}`)")
print(f"- Epoch restored (best validation R²): {best_epoch}")
print(f"- Test loss of the restored network: {test_loss:,.0f}")
print(
    f"- Validation R² below 0 (worse than predicting the mean) for the first "
    f"{epochs_negative} epochs, from {val_score[0]:.1f} after epoch 1: below the "
    "figure, which starts at 0"
)

# %%
# Plot the validation score
# -------------------------
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.plot(np.arange(1, stop_epoch + 1), val_score, label="Validation R²")
ax.axvspan(best_epoch, stop_epoch, color="grey", alpha=0.25)  # no improvement since
ax.axvline(best_epoch, linestyle="--", color="black", label="Best epoch, restored")
ax.axvline(stop_epoch, linestyle=":", color="black", label="Training stopped")
ax.set_ylim(0, 1)
ax.set_xlabel("Epoch")
ax.set_ylabel("Validation R² (1 is perfect)")
ax.set_title("scikit-learn's early stopping")
ax.grid(True)
ax.legend()
plt.show()
