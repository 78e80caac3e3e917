//! Opening a resource's page in the AWS console, in the system's browser. The page may ask for
//! console addresses only: anything else is refused here, and the window holds no permission of
//! the opener plugin itself, so it cannot open any other address or a file.

use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

use vendorlink_engine::Error;
use vendorlink_model::{is_console_url, FieldError};

#[tauri::command]
pub fn open_in_console(app: AppHandle, url: String) -> Result<(), Error> {
    if !is_console_url(&url) {
        return Err(vec![FieldError::new("url", format!("{url} is not a page of the AWS console."), "VendorLink opens console.aws.amazon.com pages only.")].into());
    }
    app.opener().open_url(&url, None::<&str>).map_err(|e| Error::Internal(format!("the system could not open {url}: {e}")))
}
