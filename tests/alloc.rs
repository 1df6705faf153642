//! `validate()` allocates nothing on a valid body: paths live on the stack and messages are
//! built only for violations. Measured with a counting global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use netapi::Validate;
use netapi::vpn::create_vpn_connection::CreateVpnConnectionRequestBody;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The largest request of the five pages: every field of `create_vpn_connection` set and
/// valid, full IKE and IPsec policies, tags and policy rules (which the page allows only in
/// policy mode, so the style is `policy`).
pub const BGP_BODY: &str = include_str!("fixtures/bodies/create_vpn_connection_full.json");

#[test]
fn validate_allocates_nothing_on_valid_input() {
    let body: CreateVpnConnectionRequestBody =
        serde_json::from_str(BGP_BODY).expect("the fixture parses");
    body.validate().expect("the fixture is valid");
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..100 {
        assert!(body.validate().is_ok());
    }
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert_eq!(after - before, 0, "validate() allocated on valid input");

    // And it does allocate, for the report, once something is wrong: the counter works.
    let mut broken = body.clone();
    broken.vpn_connection.name = Some("bad name!".to_owned());
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    assert!(broken.validate().is_err());
    assert!(ALLOCATIONS.load(Ordering::Relaxed) > before);
}
