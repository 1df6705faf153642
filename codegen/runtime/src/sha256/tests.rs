use super::*;

/// Decodes hex written in test vectors; the vectors are trusted, so bad input panics.
fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn nist_vectors() {
    let cases: [(&[u8], &str); 3] = [
        (
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(hex(&sha256(input)), expected, "{input:?}");
    }
}

#[test]
fn one_million_a() {
    let data = vec![b'a'; 1_000_000];
    assert_eq!(
        hex(&sha256(&data)),
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    );
}

#[test]
fn pieces_of_any_size_give_the_same_digest() {
    // Split points around the block and padding boundaries are where buffering bugs hide.
    let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
    let whole = sha256(&data);
    for len in [0, 55, 56, 63, 64, 65, 119, 120, 128, 300] {
        let data = &data[..len];
        for split in 0..=len {
            let mut hasher = Sha256::new();
            hasher.update(&data[..split]);
            hasher.update(&data[split..]);
            assert_eq!(hasher.finalize(), sha256(data), "len {len}, split {split}");
        }
    }
    let mut bytewise = Sha256::default();
    for b in &data {
        bytewise.update(std::slice::from_ref(b));
    }
    assert_eq!(bytewise.finalize(), whole);
}

#[test]
fn rfc4231_hmac() {
    let long_key = vec![0xaa; 131];
    let cases: [(Vec<u8>, &[u8], &str); 5] = [
        // Test case 1.
        (
            vec![0x0b; 20],
            b"Hi There",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        // Test case 2: a key shorter than the output.
        (
            b"Jefe".to_vec(),
            b"what do ya want for nothing?",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
        // Test case 4: a key and data built from counters.
        (
            unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
            &[0xcd; 50],
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
        ),
        // Test case 6: a key longer than the block, which is hashed first.
        (
            long_key.clone(),
            b"Test Using Larger Than Block-Size Key - Hash Key First",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
        // Test case 7: a long key and a message longer than the block.
        (
            long_key,
            b"This is a test using a larger than block-size key and a larger than \
              block-size data. The key needs to be hashed before being used by the \
              HMAC algorithm.",
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        ),
    ];
    for (key, message, expected) in cases {
        assert_eq!(hex(&hmac_sha256(&key, message)), expected, "{key:02x?}");
    }
}

#[test]
fn hex_is_lowercase_and_padded() {
    assert_eq!(hex(&[]), "");
    assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
}
