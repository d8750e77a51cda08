// Sloppy-mode script syntax: annex B and identifiers that are reserved in modules.
var let = 1, yield = 2, await = 3, static = 4;
with (Math) { x = max(let, yield); }
if (x) function hoisted() {} else function other() {}
label: function labelled() {}
var octal = 010 + 08 + '\07' + '\8';
<!-- an HTML comment
--> also one
for (var i = 0 in {}) break;
{ function twice() {} function twice() {} }
try { throw 1; } catch (e) { var e = 2; }
function f(a, a) { return arguments.callee; }
eval("1"); arguments = 2;
async
function notAsync() {}
