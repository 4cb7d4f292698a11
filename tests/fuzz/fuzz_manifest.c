/*
 * fuzz_manifest: libFuzzer target for the offline verifier (manifest
 * verify) and the pick-up sheet, which parse untrusted files. Built by
 * tests/fuzz/run.sh with clang -fsanitize=fuzzer against the library.
 */
#include <stddef.h>
#include <stdint.h>

#include "manifest/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct manifest_verify_opts opt = {
		"0000000000000000000000000000000000000000000000000000000000000000",
		"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "v1,AAAA v1,BBBB", 1614265330, 0, 0,
	};
	struct vc_error err = VC_ERROR_INIT;
	struct strbuf sheet = STRBUF_INIT;

	manifest_verify((const char *)data, size, NULL, &err);
	manifest_verify((const char *)data, size, &opt, &err);
	manifest_sheet((const char *)data, size, &sheet, &err);
	strbuf_release(&sheet);
	return 0;
}
