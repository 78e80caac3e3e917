//! The sync function's deployment package: its one handler file in a zip archive, stored (not
//! compressed), the smallest archive Lambda accepts (docs/aws-rules.md R22).

/// The handler, shipped inside VendorLink.
pub const HANDLER_SOURCE: &str = include_str!("handler.py");
/// The file's name in the archive and the `module.function` Lambda calls.
pub const HANDLER_FILE: &str = "handler.py";
pub const HANDLER: &str = "handler.handler";

/// 1980-01-01, the earliest date a zip entry can carry: the archive is the same on every build.
const DOS_DATE: u16 = (1 << 5) | 1;
/// A regular file, readable by everyone (Lambda's runtime user is not the owner).
const UNIX_MODE: u32 = 0o100_644;

/// A zip archive holding `contents` as `name`.
pub fn zip_one(name: &str, contents: &[u8]) -> Vec<u8> {
    let crc = crc32fast::hash(contents);
    let size = u32::try_from(contents.len()).unwrap_or(u32::MAX);
    let name_len = u16::try_from(name.len()).unwrap_or(u16::MAX);
    let mut out = Vec::with_capacity(contents.len() + 2 * name.len() + 100);
    let common = |out: &mut Vec<u8>| {
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&0u16.to_le_bytes()); // stored
        out.extend_from_slice(&0u16.to_le_bytes()); // time
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes()); // compressed
        out.extend_from_slice(&size.to_le_bytes()); // uncompressed
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field
    };
    // Local file header, then the data.
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    out.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
    common(&mut out);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(contents);
    // Central directory: one entry, made on Unix (for its mode), pointing at offset 0.
    let directory = out.len();
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes());
    out.extend_from_slice(&20u16.to_le_bytes());
    common(&mut out);
    out.extend_from_slice(&0u16.to_le_bytes()); // comment
    out.extend_from_slice(&0u16.to_le_bytes()); // disk
    out.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
    out.extend_from_slice(&(UNIX_MODE << 16).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // local header at 0
    out.extend_from_slice(name.as_bytes());
    let directory_size = u32::try_from(out.len() - directory).unwrap_or(u32::MAX);
    // End of central directory.
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&directory_size.to_le_bytes());
    out.extend_from_slice(&u32::try_from(directory).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The package Lambda is given.
pub fn package() -> Vec<u8> {
    zip_one(HANDLER_FILE, HANDLER_SOURCE.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_holds_the_file_once_with_its_checksum_and_points_at_its_own_directory() {
        let zip = zip_one("a.py", b"print(1)\n");
        assert_eq!(&zip[..4], b"PK\x03\x04");
        assert_eq!(&zip[30..34], b"a.py");
        assert_eq!(&zip[34..43], b"print(1)\n");
        let end = zip.len() - 22;
        assert_eq!(&zip[end..end + 4], b"PK\x05\x06");
        let directory = u32::from_le_bytes(zip[end + 16..end + 20].try_into().expect("offset")) as usize;
        assert_eq!(&zip[directory..directory + 4], b"PK\x01\x02");
        assert_eq!(u32::from_le_bytes(zip[14..18].try_into().expect("crc")), crc32fast::hash(b"print(1)\n"));
        assert_eq!(package(), package(), "the same bytes on every build");
    }
}
