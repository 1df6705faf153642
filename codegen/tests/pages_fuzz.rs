//! The page reader and the draft never panic and never hang, whatever the page: mutated
//! copies of small hand-written pages in both renderings (and of the real pages in
//! `../shared`, when present) are read and drafted, a bounded number of times.

use std::path::Path;
use std::time::{Duration, Instant};

use netapi_codegen::pages;

const RST: &str = "\
Creating a Thing
================

URI
---

POST /v1/{project_id}/things

.. table:: **Table 1** Path parameters

   ========== ========= ====== =========================
   Parameter  Mandatory Type   Description
   ========== ========= ====== =========================
   project_id Yes       String Specifies the project ID.
   ========== ========= ====== =========================

.. table:: **Table 2** Thing

   +-----------+-----------+------------------+--------------------------+
   | Parameter | Mandatory | Type             | Description              |
   +===========+===========+==================+==========================+
   | name      | Yes       | String           | The name.                |
   |           |           |                  |                          |
   |           |           |                  | -  **1** to **64**       |
   +-----------+-----------+------------------+--------------------------+
   | tags      | No        | Array of strings | :ref:`Tags <x>`.         |
   +-----------+-----------+------------------+--------------------------+

.. note::

   Only one thing.

Example Requests
----------------

-  Create a thing

   .. code-block:: text

      POST https://{endpoint}/v1/p/things
      {
          \"name\": \"t\"
      }
";

const FLAT: &str = "\
Creating a Thing
URI
POST /v5/{project_id}/things
Parameter |
Type |
Mandatory |
Description |
---|---|---|---|
project_id |
String |
Yes |
Specifies a project ID. |
Request
Table 2 Request parameters Parameter
Type
Mandatory
Description
thing
Yes
Specifies the thing.
Table 3 Thing Parameter
Mandatory
Type
Description
name
No
String
- The value is a string of 1 to 64 characters.
- Example requests
POST https://{Endpoint}/v5/{project_id}/things { \"thing\": { \"name\": \"t\" } }
Response
Returned status code 201: successful operation
Example Response

{
    \"id\": \"x\"
}
";

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Fragments that matter to the readers: borders, directives, captions, braces.
const FRAGMENTS: &[&str] = &[
    "+",
    "|",
    "=",
    "-",
    "+---+",
    "=== ===",
    ".. table:: **Table 9** X",
    ".. code-block::",
    "::",
    "Table 4 Caption Parameter",
    "Parameter",
    "Type",
    "Mandatory",
    "Yes",
    "{",
    "}",
    "[",
    "\"",
    "POST https://{x}/y {",
    "\\",
    "**",
    ":ref:`",
    "`",
    "Example Response",
    "é",
    "\u{1F600}",
    "\t",
    "\r",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(lines.len().max(1));
        match rng.below(6) {
            0 if !lines.is_empty() => {
                lines.remove(at.min(lines.len() - 1));
            }
            1 if !lines.is_empty() => {
                let line = lines[at.min(lines.len() - 1)].clone();
                lines.insert(at, line);
            }
            2 => lines.insert(
                at.min(lines.len()),
                FRAGMENTS[rng.below(FRAGMENTS.len())].to_owned(),
            ),
            3 if !lines.is_empty() => {
                let i = at.min(lines.len() - 1);
                let chars: Vec<char> = lines[i].chars().collect();
                let cut = rng.below(chars.len() + 1);
                let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())];
                lines[i] = chars[..cut].iter().collect::<String>()
                    + fragment
                    + &chars[cut..].iter().collect::<String>();
            }
            4 if !lines.is_empty() => {
                let i = at.min(lines.len() - 1);
                let chars: Vec<char> = lines[i].chars().collect();
                let cut = rng.below(chars.len() + 1);
                lines[i] = chars[..cut].iter().collect();
            }
            _ => {
                let cut = rng.below(lines.len() + 1);
                lines.truncate(cut);
            }
        }
    }
    lines.join("\n")
}

fn hammer(text: &str, name: &str, rounds: usize, seed: u64) {
    let mut rng = Rng(seed | 1);
    for round in 0..rounds {
        let mutated = mutate(text, &mut rng);
        let started = Instant::now();
        let page = pages::read(&mutated, name);
        let _ = pages::draft(&page);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{name}, round {round}: reading and drafting took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn mutated_pages_never_panic_or_hang() {
    hammer(RST, "thing.rst", 400, 0x5eed);
    hammer(FLAT, "thing.txt", 400, 0xf1a7);
    for text in [
        "",
        "\n\n",
        "+",
        "| a |",
        "Table 1 X Parameter\nType",
        "{",
        ".. table::",
        "x\n===\n+--+\n|",
    ] {
        let _ = pages::draft(&pages::read(text, "x.rst"));
        let _ = pages::draft(&pages::read(text, "x.txt"));
    }
}

#[test]
fn mutated_real_pages_never_panic_or_hang() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("skipped: {} is absent", seeds.display());
        return;
    }
    let mut paths: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for (i, path) in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .enumerate()
    {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        hammer(&text, &name, 40, 0xabc + i as u64);
    }
}
