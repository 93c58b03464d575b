/**
 * Writes the public API of a module as text, one line per public or protected type and member,
 * so that a build can compare it with a committed dump. Build tooling; not published.
 */
module io.seaport.apicheck {
    exports io.seaport.apicheck;
}
