// Paginated lists, sans-IO: what a list operation tells the runtime about its pages, and
// the cursor that both transports' iterators drive from page to page.

use std::collections::{BTreeSet, VecDeque};

use super::client::{Error, PageProblem};
use super::operation::Operation;

/// A list operation whose results come in pages, chained by a marker (the id or the creation
/// time of the last item, which the next request passes as `marker`).
///
/// Generated code implements it once per list operation, in four lines that name the
/// fields: the item type, how to read and set the page size (`limit`), how to set the
/// marker, and where a response keeps its items and its next marker ([`Page::next_marker`]
/// for `page_info.next_marker`, [`Page::links`] for Neutron's `<resources>_links`).
#[doc(hidden)]
pub trait Paginated: Operation<Request = ()> {
    /// One item of the list.
    type Item;

    /// The page size the parameters ask for (`limit`), if any.
    fn page_size(params: &Self::Parameters) -> Option<u32>;

    /// Sets the page size (`limit`).
    fn set_page_size(params: &mut Self::Parameters, size: u32);

    /// Sets the marker of the page to ask for next.
    fn set_marker(params: &mut Self::Parameters, marker: String);

    /// The items of a page and where the next one starts.
    fn into_page(response: Self::Response) -> Page<Self::Item>;
}

/// One page of a list: its items, and the marker of the next page if the server gave one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The items, in the server's order.
    pub items: Vec<T>,
    next: Next,
}

/// How a page says where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Next {
    /// `page_info.next_marker` (VPN v5, Direct Connect v3). The pages say that a page with
    /// fewer items than `limit` is the last one, whatever its `next_marker`.
    Marker(Option<String>),
    /// A `next` link whose query holds the marker (Neutron), or the problem with it.
    Link(Result<Option<String>, PageProblem>),
}

impl<T> Page<T> {
    /// A page in the `page_info` style: `next_marker` is `page_info.next_marker`.
    pub fn next_marker(items: Vec<T>, next_marker: Option<String>) -> Page<T> {
        Page { items, next: Next::Marker(next_marker) }
    }

    /// A page in Neutron's style: `links` are the `(rel, href)` pairs of the response's
    /// `<resources>_links`. The next page's marker is the `marker` query parameter of the
    /// `next` link's `href`. Only the marker is taken from the link, never the URL itself,
    /// so a link cannot send the next request, or its credentials, to another host.
    pub fn links<'a>(items: Vec<T>, links: impl IntoIterator<Item = (&'a str, &'a str)>) -> Page<T> {
        let next = links.into_iter().find(|(rel, _)| *rel == "next").map(|(_, href)| href);
        let next = match next {
            None => Ok(None),
            Some(href) => query_value(href, "marker").map(Some).ok_or_else(|| PageProblem::LinkWithoutMarker(href.to_owned())),
        };
        Page { items, next: Next::Link(next) }
    }
}

/// The percent-decoded value of query parameter `name` in `href`, with `+` read as a space
/// as form encoding writes it (Neutron's links come from Python's `urlencode`).
fn query_value(href: &str, name: &str) -> Option<String> {
    let query = href.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or_default();
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key) == name).then(|| decode(value))
    })
}

/// Percent-decodes form-encoded text; a `%` not followed by two hex digits stays as it is.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a walk through a list's pages stands: the items of the current page not yet handed
/// out, the parameters of the next request, and every marker seen so far. The transports'
/// iterators drive it: [`Cursor::pop`] what is ready, or when nothing is, send
/// [`Cursor::next_request`] and give the outcome to [`Cursor::absorb`].
#[doc(hidden)]
pub struct Cursor<O: Paginated> {
    params: O::Parameters,
    buffer: VecDeque<O::Item>,
    seen: BTreeSet<String>,
    error: Option<Error>,
    finished: bool,
}

impl<O: Paginated> Cursor<O> {
    /// A walk that starts with the page `params` ask for.
    pub fn new(params: O::Parameters) -> Self {
        Cursor { params, buffer: VecDeque::new(), seen: BTreeSet::new(), error: None, finished: false }
    }

    /// Sets the page size of every request from now on.
    pub fn set_page_size(&mut self, size: u32) {
        O::set_page_size(&mut self.params, size);
    }

    /// The next item of the pages received, then the error that ended the walk, if one did.
    pub fn pop(&mut self) -> Option<Result<O::Item, Error>> {
        match self.buffer.pop_front() {
            Some(item) => Some(Ok(item)),
            None => self.error.take().map(Err),
        }
    }

    /// The parameters of the next page's request, or `None` when the walk is over or items
    /// are still waiting to be popped.
    pub fn next_request(&self) -> Option<&O::Parameters> {
        (!self.finished && self.buffer.is_empty() && self.error.is_none()).then_some(&self.params)
    }

    /// Takes the outcome of the request for the next page. An error ends the walk: it is
    /// popped once, after the items already received. The walk also ends on a page without
    /// a next marker, on an empty page, and, in the `page_info` style, on a page shorter
    /// than the page size, which the pages document as the last.
    pub fn absorb(&mut self, outcome: Result<O::Response, Error>) {
        self.finished = true;
        if let Err(error) = self.follow(outcome) {
            self.error = Some(error);
        }
    }

    fn follow(&mut self, outcome: Result<O::Response, Error>) -> Result<(), Error> {
        let page = O::into_page(outcome?);
        let short = match (&page.next, O::page_size(&self.params)) {
            (Next::Marker(_), Some(size)) => usize::try_from(size).is_ok_and(|size| page.items.len() < size),
            _ => false,
        };
        let empty = page.items.is_empty();
        // The items are handed out even when the link to the next page is broken: they are
        // what the server sent, and the error that follows them says where the walk ended.
        self.buffer.extend(page.items);
        let next = match page.next {
            Next::Marker(next) => next,
            Next::Link(next) => next.map_err(|problem| Error::Pagination { operation: O::DESCRIPTOR.id, problem })?,
        };
        match next {
            Some(marker) if !empty && !short => {
                // A marker seen before would start a cycle: the same pages again, for ever.
                if !self.seen.insert(marker.clone()) {
                    return Err(Error::Pagination { operation: O::DESCRIPTOR.id, problem: PageProblem::RepeatedMarker(marker) });
                }
                O::set_marker(&mut self.params, marker);
                self.finished = false;
            }
            _ => {}
        }
        Ok(())
    }
}
