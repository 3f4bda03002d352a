use clap::Parser;

// Files are read, parsed and resolved on every core at once, with many small allocations each:
// mimalloc's per-thread heaps serve them without the system allocator's arena locks. Built
// without transparent huge pages (`no_thp`): on a machine that backs memory with them, its
// arenas would be resident in 2 MiB steps (dense-5k: 111 MB peak, 84 MB without).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's C API, linked with the allocator above.
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    fn mi_malloc(size: usize) -> *mut std::ffi::c_void;
    fn mi_calloc(count: usize, size: usize) -> *mut std::ffi::c_void;
    fn mi_realloc(p: *mut std::ffi::c_void, size: usize) -> *mut std::ffi::c_void;
    fn mi_free(p: *mut std::ffi::c_void);
}

// tree-sitter's allocations (its trees, parse stacks and cursors) through mimalloc too. Like
// tree-sitter's own defaults, these abort when memory runs out rather than return null.
unsafe extern "C" fn ts_malloc(size: usize) -> *mut std::ffi::c_void {
    // SAFETY: any size may be asked of mi_malloc.
    let p = unsafe { mi_malloc(size) };
    if p.is_null() && size > 0 {
        std::process::abort()
    }
    p
}
unsafe extern "C" fn ts_calloc(count: usize, size: usize) -> *mut std::ffi::c_void {
    // SAFETY: mi_calloc checks count * size for overflow.
    let p = unsafe { mi_calloc(count, size) };
    if p.is_null() && count > 0 && size > 0 {
        std::process::abort()
    }
    p
}
unsafe extern "C" fn ts_realloc(ptr: *mut std::ffi::c_void, size: usize) -> *mut std::ffi::c_void {
    // SAFETY: tree-sitter reallocates only what these functions allocated.
    let p = unsafe { mi_realloc(ptr, size) };
    if p.is_null() && size > 0 {
        std::process::abort()
    }
    p
}
unsafe extern "C" fn ts_free(ptr: *mut std::ffi::c_void) {
    // SAFETY: tree-sitter frees only what these functions allocated.
    unsafe { mi_free(ptr) }
}

/// `mi_option_purge_delay` in mimalloc.h's `mi_option_t` (the same in its v2 and v3).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

fn main() {
    // Pages freed between phases (the trees and values of extraction, the facts after
    // resolution) go back to the system at once rather than 10 ms later, by which time the
    // next phase has taken new ones: dense-20k peak 200 -> 185 MB, no slower.
    // SAFETY: setting an option is allowed at any time, from any thread (mimalloc.h).
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    let allocator =
        tree_sitter::Allocator { malloc: ts_malloc, calloc: ts_calloc, realloc: ts_realloc, free: ts_free };
    // SAFETY: set before any tree-sitter call (none has been made yet: nothing is parsed
    // before the command line is read), once, from the main thread; the four functions are
    // one allocator's, with malloc's alignment, and never return null for a non-zero size.
    unsafe { tree_sitter::set_allocator(Some(allocator)) };
    let cli = tracklint::cli::Cli::parse();
    std::process::exit(tracklint::cli::run(cli));
}
