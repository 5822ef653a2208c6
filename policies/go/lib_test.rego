package envgate.go.lib_test

import rego.v1
import data.envgate.go.lib

test_version_parts if {
	lib.version_parts("go1.19.8") == [1, 19, 8]
	lib.version_parts("1.22") == [1, 22, 0]
	lib.version_parts("go1.21rc1") == [1, 21, 0]
}

test_version_less if {
	lib.version_less("go1.19.8", "1.22")
	lib.version_less("1.21.0", "1.21.1")
	not lib.version_less("go1.22.1", "1.22")
	not lib.version_less("1.22", "1.22.0")
}

test_on_path_ignores_trailing_slash if {
	lib.on_path("/home/dev/go/bin") with input as {"path": {"entries": [{"raw": "/home/dev/go/bin/"}]}}
	not lib.on_path("/home/dev/go/bin") with input as {"path": {"entries": [{"raw": "/usr/bin"}]}}
}

test_login_profile_follows_the_shell if {
	lib.login_profile == "/home/dev/.zprofile" with input as {"host": {"home": "/home/dev", "login_shell": "/usr/bin/zsh"}}
	lib.login_profile == "/home/dev/.profile" with input as {"host": {"home": "/home/dev", "login_shell": "/bin/bash"}}
}

test_login_profile_without_passwd_entry if {
	lib.login_profile == "~/.profile" with input as {"host": {"home": null, "login_shell": null}}
}

test_command_args_are_the_collector_s_split if {
	quoted := {"command": `"C:\Program Files\LLVM\bin\clang.exe" -O2`, "args": [`C:\Program Files\LLVM\bin\clang.exe`, "-O2"]}
	lib.command_args(quoted) == [`C:\Program Files\LLVM\bin\clang.exe`, "-O2"]
	lib.command_program(quoted) == `C:\Program Files\LLVM\bin\clang.exe`
	unclosed := {"command": `"C:\Program Files\gcc.exe`, "split_error": `unterminated " string`}
	lib.command_args(unclosed) == []
	lib.command_program(unclosed) == ""
	# A snapshot saved before `args` was recorded: split at spaces.
	lib.command_args({"command": " gcc  -m32 "}) == ["gcc", "-m32"]
	lib.command_program({"command": ""}) == ""
}

test_program_name_drops_the_directory_and_exe if {
	windows := {"host": {"os": "windows"}}
	lib.program_name(`C:\tools\aarch64-linux-gnu-gcc.exe`) == "aarch64-linux-gnu-gcc" with input as windows
	lib.program_name(`C:/tools/X86_64-w64-mingw32-gcc.EXE`) == "x86_64-w64-mingw32-gcc" with input as windows
	lib.program_name("gcc") == "gcc" with input as windows
	# Elsewhere a backslash is part of the file name; a WSL path to a Windows exe works.
	linux := {"host": {"os": "linux"}}
	lib.program_name(`/opt/a\aarch64-linux-gnu-gcc`) == `a\aarch64-linux-gnu-gcc` with input as linux
	lib.program_name("/mnt/c/tools/aarch64-linux-gnu-gcc.exe") == "aarch64-linux-gnu-gcc" with input as linux
	lib.program_name("/usr/bin/aarch64-linux-gnu-gcc-12") == "aarch64-linux-gnu-gcc-12" with input as linux
	lib.program_name("/opt/AArch64-linux-gnu-gcc") == "AArch64-linux-gnu-gcc" with input as linux
	lib.program_name("") == "" with input as linux
}

test_go_quote_escapes_as_strconv_quote if {
	lib.go_quote("gcc") == `"gcc"`
	lib.go_quote(`C:\msys64\gcc.exe`) == `"C:\\msys64\\gcc.exe"`
	lib.go_quote(`say"hi"`) == `"say\"hi\""`
}
