FROM debian:trixie AS build
RUN apt-get update && apt-get install -y --no-install-recommends ruby \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY report.rb orders.json ./
CMD ["ruby", "report.rb"]

FROM scratch
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /app
COPY --from=build /app/orders.json /app/report.rb /app/
COPY --from=build /etc/ld.so.cache /etc/localtime /etc/
COPY --from=build \
    /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
    /lib/x86_64-linux-gnu/libc.so.6 \
    /lib/x86_64-linux-gnu/libcrypt.so.1 \
    /lib/x86_64-linux-gnu/libgmp.so.10 \
    /lib/x86_64-linux-gnu/libm.so.6 \
    /lib/x86_64-linux-gnu/libruby-3.3.so.3.3 \
    /lib/x86_64-linux-gnu/libz.so.1 \
    /lib/x86_64-linux-gnu/
COPY --from=build /lib64/ld-linux-x86-64.so.2 /lib64/
COPY --from=build /usr/bin/ruby /usr/bin/
COPY --from=build \
    /usr/lib/ruby/3.3.0/bundled_gems.rb \
    /usr/lib/ruby/3.3.0/error_highlight.rb \
    /usr/lib/ruby/3.3.0/json.rb \
    /usr/lib/ruby/3.3.0/monitor.rb \
    /usr/lib/ruby/3.3.0/set.rb \
    /usr/lib/ruby/3.3.0/
COPY --from=build \
    /usr/lib/ruby/3.3.0/error_highlight/base.rb \
    /usr/lib/ruby/3.3.0/error_highlight/core_ext.rb \
    /usr/lib/ruby/3.3.0/error_highlight/formatter.rb \
    /usr/lib/ruby/3.3.0/error_highlight/version.rb \
    /usr/lib/ruby/3.3.0/error_highlight/
COPY --from=build \
    /usr/lib/ruby/3.3.0/json/common.rb \
    /usr/lib/ruby/3.3.0/json/ext.rb \
    /usr/lib/ruby/3.3.0/json/version.rb \
    /usr/lib/ruby/3.3.0/json/
COPY --from=build /usr/lib/ruby/3.3.0/syntax_suggest/core_ext.rb /usr/lib/ruby/3.3.0/syntax_suggest/
COPY --from=build \
    /usr/lib/ruby/gems/3.3.0/specifications/default/abbrev-0.1.2.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/base64-0.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/benchmark-0.3.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/bigdecimal-3.1.5.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/bundler-2.5.22.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/cgi-0.4.2.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/csv-3.2.8.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/date-3.3.4.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/delegate-0.3.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/did_you_mean-1.6.3.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/digest-3.1.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/drb-2.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/english-0.8.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/erb-4.0.3.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/error_highlight-0.6.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/etc-1.4.3.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/fcntl-1.1.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/fiddle-1.1.2.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/fileutils-1.7.2.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/find-0.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/forwardable-1.3.3.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/getoptlong-0.2.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/io-console-0.7.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/io-nonblock-0.3.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/io-wait-0.3.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/ipaddr-1.2.6.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/irb-1.13.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/json-2.7.2.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/logger-1.6.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/mutex_m-0.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/net-http-0.4.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/net-protocol-0.2.2.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/nkf-0.1.3.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/observer-0.1.2.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/open-uri-0.4.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/open3-0.2.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/openssl-3.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/optparse-0.4.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/ostruct-0.6.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/pathname-0.3.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/pp-0.5.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/prettyprint-0.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/prism-0.19.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/pstore-0.1.3.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/psych-5.1.2.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/rdoc-6.6.3.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/readline-0.0.4.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/reline-0.5.10.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/resolv-0.3.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/resolv-replace-0.1.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/rinda-0.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/ruby2_keywords-0.0.5.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/securerandom-0.3.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/set-1.1.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/shellwords-0.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/singleton-0.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/stringio-3.1.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/strscan-3.0.9.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/syntax_suggest-2.0.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/syslog-0.1.2.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/tempfile-0.2.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/time-0.3.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/timeout-0.4.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/tmpdir-0.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/tsort-0.2.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/un-0.3.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/uri-0.13.2.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/weakref-0.1.3.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/yaml-0.3.0.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/zlib-3.1.1.gemspec \
    /usr/lib/ruby/gems/3.3.0/specifications/default/
COPY --from=build /usr/lib/ruby/vendor_ruby/rubygems.rb /usr/lib/ruby/vendor_ruby/
COPY --from=build \
    /usr/lib/ruby/vendor_ruby/rubygems/basic_specification.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/compatibility.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/defaults.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/dependency.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/deprecate.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/errors.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/exceptions.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/path_support.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/platform.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/requirement.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/specification.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/specification_record.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/stub_specification.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/target_rbconfig.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/unknown_command_spell_checker.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/util.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/version.rb \
    /usr/lib/ruby/vendor_ruby/rubygems/
COPY --from=build /usr/lib/ruby/vendor_ruby/rubygems/core_ext/kernel_gem.rb /usr/lib/ruby/vendor_ruby/rubygems/core_ext/kernel_require.rb /usr/lib/ruby/vendor_ruby/rubygems/core_ext/
COPY --from=build /usr/lib/ruby/vendor_ruby/rubygems/defaults/operating_system.rb /usr/lib/ruby/vendor_ruby/rubygems/defaults/
COPY --from=build /usr/lib/ruby/vendor_ruby/rubygems/util/list.rb /usr/lib/ruby/vendor_ruby/rubygems/util/
COPY --from=build /usr/lib/x86_64-linux-gnu/ruby/3.3.0/enc/encdb.so /usr/lib/x86_64-linux-gnu/ruby/3.3.0/enc/
COPY --from=build /usr/lib/x86_64-linux-gnu/ruby/3.3.0/enc/trans/transdb.so /usr/lib/x86_64-linux-gnu/ruby/3.3.0/enc/trans/
COPY --from=build /usr/lib/x86_64-linux-gnu/ruby/3.3.0/json/ext/generator.so /usr/lib/x86_64-linux-gnu/ruby/3.3.0/json/ext/parser.so /usr/lib/x86_64-linux-gnu/ruby/3.3.0/json/ext/
COPY --from=build /usr/lib/x86_64-linux-gnu/ruby/3.3.0/monitor.so /usr/lib/x86_64-linux-gnu/ruby/3.3.0/rbconfig.rb /usr/lib/x86_64-linux-gnu/ruby/3.3.0/
COPY --from=build /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean.rb /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/
COPY --from=build /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/core_ext/name_error.rb /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/core_ext/
COPY --from=build \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/formatter.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/jaro_winkler.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/levenshtein.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checker.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/tree_spell_checker.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/version.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/
COPY --from=build \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checkers/key_error_checker.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checkers/method_name_checker.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checkers/name_error_checkers.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checkers/null_checker.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checkers/pattern_key_name_checker.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checkers/require_path_checker.rb \
    /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checkers/
COPY --from=build /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checkers/name_error_checkers/class_name_checker.rb /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checkers/name_error_checkers/variable_name_checker.rb /usr/share/rubygems-integration/all/gems/did_you_mean-1.6.3/lib/did_you_mean/spell_checkers/name_error_checkers/
COPY --from=build /usr/share/rubygems-integration/all/specifications/did_you_mean-1.6.3.gemspec /usr/share/rubygems-integration/all/specifications/
USER 65532:65532
CMD ["ruby", "report.rb"]
