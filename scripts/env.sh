# Sourced by the scripts: where builds, the emulator and the driver live (outside the clone,
# so repeated runs are incremental).
VENDORLINK_CACHE="${VENDORLINK_CACHE:-$HOME/.cache/vendorlink}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$VENDORLINK_CACHE/target}"
export VENDORLINK_PYTHON="$VENDORLINK_CACHE/venv/bin/python"
export TAURI_DRIVER="$VENDORLINK_CACHE/bin/tauri-driver"
export PATH="$HOME/.cargo/bin:$PATH"
