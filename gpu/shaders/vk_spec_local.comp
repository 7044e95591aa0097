// gpu/shaders/vk_spec_local.comp — local size x from specialisation
// constant 0: each invocation records the work-group size it ran with and
// its local id, so a launch can prove the size was specialised.
#version 450
layout(local_size_x_id = 0) in;
layout(std430, set = 0, binding = 0) buffer Out { uint o[]; };
void main()
{
    uint i = gl_GlobalInvocationID.x;
    if (i < uint(o.length()))
        o[i] = (gl_WorkGroupSize.x << 16) | gl_LocalInvocationID.x;
}
