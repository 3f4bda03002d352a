//! Wrapper inference that starts from the last run's result. When some files changed but
//! what each tells the other files did not ([`crate::frontend::FileFacts::outward_digest`]: its names,
//! bindings, constants and functions, positions aside), every other file resolves as it did,
//! so only the changed files, and the files that call a summary that changed, are resolved
//! again. The cache keeps, beside the summaries ([`super::PROJECT_FILE`]), every file's calls
//! as the last run's inference left them and the SDKs the project visibly used then.

use super::{
    DiskCache, InferenceSeed, Options, PackedCalls, ParsedFile, cache, cache_name, config, project_hash,
    settings_texts,
};
use std::collections::HashSet;

/// Where the last inference's calls are kept, beside the file entries.
const INFERENCE_FILE: &str = "inference";

/// One entry of the inference file, as written: under the name "", what the whole run's
/// inference depended on besides the files; under a file's name, its calls (the entry's hash is
/// the file's content hash).
#[derive(serde::Serialize)]
enum InferenceRecordRef<'a> {
    Head { settings: u128, paths: u128, evidence: Vec<usize> },
    File { all_sites: bool, calls: &'a PackedCalls, evidence: &'a [usize] },
}

/// [`InferenceRecordRef`] as read back (the variants and fields in the same order).
#[derive(serde::Deserialize)]
#[serde(rename = "InferenceRecordRef")]
enum InferenceRecord {
    Head { settings: u128, paths: u128, evidence: Vec<usize> },
    File { all_sites: bool, calls: PackedCalls, evidence: Vec<usize> },
}

/// What inference depends on besides the files and the manifests (both in [`project_hash`]):
/// the settings ([`settings_texts`]: every config, how inference runs).
fn settings_key(options: &Options, configs: &config::Configs) -> Option<u128> {
    let mut bytes = Vec::new();
    for text in settings_texts(options, configs)? {
        bytes.extend_from_slice(&(text.len() as u64).to_le_bytes());
        bytes.extend_from_slice(text);
    }
    Some(cache::disk::content_hash(&bytes))
}

/// The files in their order: a summary names its file by its index.
fn paths_hash(parsed: &[ParsedFile]) -> u128 {
    let mut bytes = Vec::with_capacity(parsed.len() * 48);
    for file in parsed {
        bytes.extend_from_slice(file.path.as_os_str().as_encoded_bytes());
        bytes.push(0);
    }
    cache::disk::content_hash(&bytes)
}

impl DiskCache {
    /// Where this run's inference can start: the last run's summaries and calls, when this run
    /// has the same files in the same order, with the same settings and manifests, and every
    /// file that changed since tells the other files what it told them then. `None` otherwise
    /// (inference starts from nothing).
    pub(super) fn inference_seed(
        &self,
        parsed: &[ParsedFile],
        options: &Options,
        configs: &config::Configs,
    ) -> Option<InferenceSeed> {
        let settings = settings_key(options, configs)?;
        let (mut entries, _, layers) =
            self.location.sibling(INFERENCE_FILE).load_layered::<InferenceRecord>();
        let head = entries.remove("")?;
        let InferenceRecord::Head { settings: made_with, paths, evidence } = head.record else { return None };
        if made_with != settings || paths != paths_hash(parsed) || entries.len() != parsed.len() {
            return None;
        }
        let mut dirty = vec![false; parsed.len()];
        let mut calls = Vec::with_capacity(parsed.len());
        let mut evidence_by_file = Vec::with_capacity(parsed.len());
        for (file, dirty) in parsed.iter().zip(&mut dirty) {
            let entry = entries.remove(&cache_name(&file.path)?)?;
            let InferenceRecord::File { all_sites, calls: file_calls, evidence: shown } = entry.record else {
                return None;
            };
            let key = file.key?;
            if key.hash != entry.hash || all_sites != file.all_sites {
                // Changed: its old facts must be the ones inference read, and tell other files
                // what the new ones do.
                let before = file.before.as_ref()?;
                if before.hash != entry.hash || before.outward_digest()? != file.facts.outward_digest()? {
                    return None;
                }
                *dirty = true;
            }
            // A changed file's evidence is looked at again; the others' stands.
            evidence_by_file.push((!*dirty).then_some(shown));
            calls.push(file_calls);
        }
        // The summaries of that same run (its files' hash is the head's).
        let mut project = self.project.lock().unwrap_or_else(|e| e.into_inner());
        if project.as_ref().is_none_or(|(made_from, _)| *made_from != head.hash) {
            return None;
        }
        let (_, summaries) = project.take()?;
        *self.inference_layers.lock().unwrap_or_else(|e| e.into_inner()) = layers;
        Some(InferenceSeed {
            summaries,
            calls,
            evidence: evidence.into_iter().collect(),
            evidence_by_file,
            dirty,
        })
    }

    /// Keeps this run's inference for the next run's seed: what it depended on, and every
    /// file's final calls. A run that started from a seed and `resolved` few files writes
    /// only those, over the file it started from.
    pub(super) fn store_inference(
        &self,
        parsed: &[ParsedFile],
        options: &Options,
        configs: &config::Configs,
        (evidence, evidence_by_file): (&HashSet<usize>, &[Vec<usize>]),
        calls: &[PackedCalls],
        resolved: Option<&[bool]>,
    ) -> Result<(), String> {
        let location = self.location.sibling(INFERENCE_FILE);
        let made = settings_key(options, configs).zip(project_hash(parsed, self.manifests));
        let whole = calls.len() == parsed.len() && evidence_by_file.len() == parsed.len();
        let (Some((settings, hash)), true) = (made, whole) else {
            // Nothing a next run could start from: an older file must not seem to be it.
            return match std::fs::remove_file(location.file()) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(format!("cannot remove {}: {e}", location.file().display()))
                }
                _ => Ok(()),
            };
        };
        let mut evidence: Vec<usize> = evidence.iter().copied().collect();
        evidence.sort_unstable();
        let head = InferenceRecordRef::Head { settings, paths: paths_hash(parsed), evidence };
        let mut entries = vec![(String::new(), cache::disk::Entry { stamp: None, hash, record: head }, true)];
        for (i, ((file, calls), evidence)) in parsed.iter().zip(calls).zip(evidence_by_file).enumerate() {
            // Every file has a key ([`project_hash`] said so) and a UTF-8 path (its facts'
            // entry has one).
            let (Some(name), Some(key)) = (cache_name(&file.path), file.key) else {
                return Err("a path is not UTF-8".into());
            };
            let record = InferenceRecordRef::File { all_sites: file.all_sites, calls, evidence };
            let changed = resolved.is_none_or(|r| r.get(i) != Some(&false));
            entries.push((name, cache::disk::Entry { stamp: None, hash: key.hash, record }, changed));
        }
        let layers = self.inference_layers.lock().unwrap_or_else(|e| e.into_inner()).take();
        location.store_over(layers.as_ref().filter(|_| resolved.is_some()), entries)
    }
}
